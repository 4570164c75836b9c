using System.Reflection;
using System.Text;
using MlWorkflow.Training;

namespace MlWorkflow.CodeGeneration;

/// <summary>
/// Writes a <see cref="TrainerSpec"/> as the C# expression that recreates it: the catalog's shortcut
/// (<c>Trainers.Regression.FastTree(trees: 200)</c>) with every hyperparameter that differs from its default, those the
/// shortcut does not take through <see cref="TrainerSpec.With"/>; a trainer another package registered is looked up in
/// the catalog by name; a custom trainer cannot be written.
/// </summary>
internal static class TrainerCode
{
    private const string OneVersusAll = "OneVersusAll";
    private const string BinaryTrainerParameter = "binary_trainer";

    /// <summary>The expression, and the packages (assembly names) besides MlWorkflow that it needs.</summary>
    public static (string Expression, IReadOnlyList<string> Packages) Write(TrainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.UndescribedSettings.Count > 0)
        {
            var names = string.Join(", ", spec.UndescribedSettings.Take(5)) + (spec.UndescribedSettings.Count > 5 ? ", ..." : string.Empty);
            throw Unwritable(spec, $"it was made from an ML.NET options object whose settings {names} are not catalog hyperparameters, so the code would train another model");
        }

        if (spec.Members.Count > 0)
        {
            // An ensemble: its members' expressions and weights, as Trainers.Ensemble takes them.
            var members = spec.Members
                .Select(m => (Written: Write(m.Trainer), m.Trainer.Seed))
                .Select(m => m.Seed is { } seed
                    ? (Expression: $"{m.Written.Expression}.WithSeed({seed.ToString(System.Globalization.CultureInfo.InvariantCulture)})", m.Written.Packages)
                    : m.Written)
                .ToArray();
            var weights = string.Join(", ", spec.Members.Select(m => CSharpLiteral.Value(m.Weight)));
            return (
                $"Trainers.Ensemble([{string.Join(", ", members.Select(m => m.Expression))}], [{weights}])",
                [.. members.SelectMany(m => m.Packages).Distinct(StringComparer.Ordinal)]);
        }

        if (spec.Task == LearningTask.MulticlassClassification && spec.Name == OneVersusAll
            && spec.Hyperparameters.TryGetValue(BinaryTrainerParameter, out var binaryName))
        {
            var binaryDescriptor = Trainers.BinaryClassification.All.FirstOrDefault(d => d.Name == (string)binaryName)
                ?? throw Unwritable(spec, $"its binary trainer '{Shorten((string)binaryName)}' is not in the catalog");
            var values = spec.Hyperparameters
                .Where(p => p.Key != BinaryTrainerParameter)
                .ToDictionary(p => p.Key, p => Value(p.Value), StringComparer.Ordinal);
            var binary = Write(binaryDescriptor.Create(values));
            return ($"Trainers.MulticlassClassification.OneVersusAll({binary.Expression})", binary.Packages);
        }

        var catalog = Trainers.For(spec.Task);
        if (!catalog.Any(d => ReferenceEquals(d, spec.Descriptor)))
        {
            throw Unwritable(spec, "it is a custom trainer (Trainers.Custom or a TrainerDescriptor of your own), not one of the catalog's");
        }

        var taskClass = TaskClass(spec.Task);
        var package = TrainerCatalog.PackageOf(spec.Descriptor);
        if (package is not null)
        {
            // A trainer from another package (LightGBM's): the catalog finds it by name once the package is referenced.
            var changed = Changed(spec, spec.Descriptor.Hyperparameters.Select(h => (h, h.Default)));
            var create = changed.Count == 0 ? ".Create()" : $".Create({Dictionary(changed)})";
            return ($"Trainers.{taskClass}.All.Single(t => t.Name == {CSharpLiteral.String(spec.Name)}){create}", [package]);
        }

        var shortcut = Shortcut(spec)
            ?? throw Unwritable(spec, "the catalog has no shortcut method for it");
        var taken = shortcut.GetParameters()
            .Select(p => (Parameter: p, Hyperparameter: spec.Descriptor.Hyperparameter(SnakeCase(p.Name!))))
            .ToArray();
        var arguments = Changed(spec, taken.Select(t => (t.Hyperparameter, t.Parameter.DefaultValue)))
            .Select(c => $"{taken.Single(t => t.Hyperparameter.Name == c.Name).Parameter.Name}: {CSharpLiteral.Value(c.Value)}");
        var others = Changed(
            spec,
            spec.Descriptor.Hyperparameters.Where(h => taken.All(t => t.Hyperparameter.Name != h.Name)).Select(h => (h, h.Default)));
        var expression = $"Trainers.{taskClass}.{shortcut.Name}({string.Join(", ", arguments)})";
        return (others.Count == 0 ? expression : $"{expression}.With({Dictionary(others)})", []);
    }

    /// <summary>The C# class of a task in <see cref="Trainers"/>.</summary>
    public static string TaskClass(LearningTask task) => task switch
    {
        LearningTask.Regression => nameof(Trainers.Regression),
        LearningTask.BinaryClassification => nameof(Trainers.BinaryClassification),
        _ => nameof(Trainers.MulticlassClassification),
    };

    /// <summary><c>minExamplesPerLeaf</c> → <c>min_examples_per_leaf</c>, as the catalog names hyperparameters after the shortcuts' parameters.</summary>
    public static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    // The shortcut of the same name whose parameters are all hyperparameters (not the overload taking ML.NET's options).
    private static MethodInfo? Shortcut(TrainerSpec spec)
    {
        var type = typeof(Trainers).GetNestedType(TaskClass(spec.Task), BindingFlags.Public);
        return type?.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == spec.Name && m.ReturnType == typeof(TrainerSpec))
            .FirstOrDefault(m => m.GetParameters().All(p => p.HasDefaultValue && spec.Descriptor.Hyperparameters.Any(h => h.Name == SnakeCase(p.Name!))));
    }

    // The hyperparameters whose value differs from the one the call would otherwise get.
    private static List<(string Name, object? Value)> Changed(TrainerSpec spec, IEnumerable<(HyperparameterDescriptor Hyperparameter, object? Default)> candidates)
    {
        var changed = new List<(string, object?)>();
        foreach (var (hyperparameter, fallback) in candidates)
        {
            var value = Value(spec.Hyperparameters[hyperparameter.Name]);
            var normalised = fallback is null ? null : hyperparameter.Validate(fallback);
            if (!Equals(value, normalised))
            {
                changed.Add((hyperparameter.Name, value));
            }
        }

        return changed;
    }

    // "auto" (ML.NET chooses) is null in code.
    private static object? Value(object value) => value is "auto" ? null : value;

    private static string Dictionary(IEnumerable<(string Name, object? Value)> values) =>
        $"new Dictionary<string, object?> {{ {string.Join(", ", values.Select(v => $"[{CSharpLiteral.String(v.Name)}] = {CSharpLiteral.Value(v.Value)}"))} }}";

    private static WorkflowCodeGenerationException Unwritable(TrainerSpec spec, string why) =>
        new("Train", Shorten(spec.Name), $"trainer '{Shorten(spec.Name)}' cannot be written as code: {why}. Use a trainer of Trainers.<Task>, or edit the generated Train(...) call by hand.");

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
