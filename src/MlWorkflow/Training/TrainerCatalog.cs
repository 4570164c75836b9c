using System.Reflection;
using System.Runtime.Loader;
using System.Runtime.CompilerServices;

namespace MlWorkflow.Training;

/// <summary>
/// Where trainer packages list their trainers, so that <see cref="Trainers.All"/>, <see cref="Trainers.For"/> and
/// <c>Trainers.&lt;Task&gt;.All</c> describe them to a tuner beside the built-in ones (registered trainers follow the
/// built-in ones, in registration order).
/// </summary>
/// <remarks>
/// A trainer package registers its descriptors from its module initializer. The first time the catalog is read, the
/// core also loads the known trainer packages that sit beside it by assembly name (<c>MlWorkflow.LightGbm</c>) and runs
/// their module initializer, so a package reference is enough: no call is needed before <see cref="Trainers.All"/>
/// lists LightGBM. A package that is not referenced is simply not listed.
/// </remarks>
public static class TrainerCatalog
{
    // The trainer packages of this repository; each registers its trainers from its module initializer.
    private static readonly string[] KnownPackages = ["MlWorkflow.LightGbm"];

    private static readonly Lock Gate = new();
    private static readonly Lock LoadGate = new();
    private static TrainerDescriptor[] _registered = [];
    private static Dictionary<TrainerDescriptor, string> _packages = new(ReferenceEqualityComparer.Instance);
    private static volatile bool _packagesLoaded;

    /// <summary>Adds a trainer to the catalog; registering the same descriptor again does nothing.</summary>
    /// <param name="descriptor">The trainer, its task and its hyperparameters.</param>
    /// <exception cref="ArgumentException">Another trainer with the same name is already registered for the same task.</exception>
    // Not inlined, so that the calling assembly is the registering package (generated code references it).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Register(TrainerDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var package = Assembly.GetCallingAssembly().GetName().Name ?? string.Empty;
        lock (Gate)
        {
            var same = Array.Find(_registered, d => d.Task == descriptor.Task && d.Name == descriptor.Name);
            if (same is not null)
            {
                if (ReferenceEquals(same, descriptor))
                {
                    return;
                }

                throw new ArgumentException(
                    $"A {TrainerSpec.TaskName(descriptor.Task)} trainer named '{descriptor.Name}' is already registered; give the new one another name.",
                    nameof(descriptor));
            }

            _registered = [.. _registered, descriptor];
            _packages = new Dictionary<TrainerDescriptor, string>(_packages, ReferenceEqualityComparer.Instance) { [descriptor] = package };
        }
    }

    /// <summary>The built-in trainers of a task followed by the registered ones.</summary>
    internal static IReadOnlyList<TrainerDescriptor> WithRegistered(LearningTask task, TrainerDescriptor[] builtIn)
    {
        LoadKnownPackages();
        var registered = _registered;
        return [.. builtIn, .. registered.Where(d => d.Task == task && !builtIn.Any(b => b.Name == d.Name))];
    }

    /// <summary>The name of the assembly that registered <paramref name="descriptor"/>, or null for a trainer not registered.</summary>
    internal static string? PackageOf(TrainerDescriptor descriptor) =>
        _packages.TryGetValue(descriptor, out var package) ? package : null;

    // Once per process: a package beside the core registers its trainers even if none of its code has run yet.
    private static void LoadKnownPackages()
    {
        if (_packagesLoaded)
        {
            return;
        }

        lock (LoadGate)
        {
            if (_packagesLoaded)
            {
                return;
            }

            foreach (var name in KnownPackages)
            {
                Assembly assembly;
                try
                {
                    assembly = CompanionPackages.Load(name);
                }
                catch (FileNotFoundException)
                {
                    continue;
                }

                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            }

            _packagesLoaded = true;
        }
    }
}
