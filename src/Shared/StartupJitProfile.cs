using System.Runtime;

namespace MlWorkflow;

/// <summary>
/// Turns on .NET's multicore JIT for a process that starts often (<c>mlw</c>): the runtime records, in a profile file, the
/// methods a start-up compiles, and the next start-up of the same command compiles them on another core ahead of the main
/// thread (<see cref="ProfileOptimization"/>). The code stays the same and is still compiled at run time; a start-up only
/// waits less for it. The profiles live in the user's cache folder (<c>$XDG_CACHE_HOME/mlw/jit</c>, else
/// <c>~/.cache/mlw/jit</c>, or the local application data folder), one per command; <c>MLW_JIT_PROFILE=off</c> turns it
/// off, and a folder that cannot be written leaves the process as it was.
/// </summary>
internal static class StartupJitProfile
{
    /// <summary>The variable that turns the profile off (<c>off</c>, <c>0</c> or <c>false</c>) or names its folder (an absolute path).</summary>
    public const string Variable = "MLW_JIT_PROFILE";

    /// <summary>Starts recording this start-up's profile, and uses the last one of <paramref name="name"/> if there is one.</summary>
    /// <param name="name">What starts (a command), so that different start-ups keep different profiles: letters, digits, '-' and '_'.</param>
    /// <returns>The profile's folder, or null when it is off or its folder cannot be made.</returns>
    public static string? Start(string name)
    {
        var setting = Environment.GetEnvironmentVariable(Variable);
        if (setting is "off" or "0" or "false")
        {
            return null;
        }

        try
        {
            var folder = setting is { Length: > 0 } && Path.IsPathFullyQualified(setting) ? setting : DefaultFolder();
            if (folder is null)
            {
                return null;
            }

            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(Sanitize(name) + ".jitprofile");
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // Only a start-up's speed depends on it.
            return null;
        }
    }

    private static string? DefaultFolder()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache) || !Path.IsPathFullyQualified(cache))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cache = OperatingSystem.IsWindows() || string.IsNullOrEmpty(home)
                ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
                : Path.Combine(home, ".cache");
        }

        // One folder per build of the tool: a profile names the methods of the assemblies it was recorded with.
        var version = typeof(StartupJitProfile).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
        return string.IsNullOrEmpty(cache) ? null : Path.Combine(cache, "mlw", "jit", version);
    }

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not '-' and not '_')
            {
                chars[i] = '_';
            }
        }

        return chars.Length == 0 ? "start" : new string(chars, 0, Math.Min(chars.Length, 64));
    }
}
