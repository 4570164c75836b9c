namespace MlWorkflow.Server.Auth;

/// <summary>What a non-admin caller needs for one endpoint (MLflow's auth app, mlflow-protocol-2 §5.6), and how to check it.</summary>
internal sealed class AccessRule
{
    private readonly Func<AccessCheck, Task<bool>> _check;

    private AccessRule(string description, bool open, Func<AccessCheck, Task<bool>> check)
    {
        Description = description;
        IsOpen = open;
        _check = check;
    }

    /// <summary>Served without credentials (<c>/health</c>, the UI's script and stylesheet).</summary>
    public static AccessRule Open { get; } = new("nothing", true, _ => Task.FromResult(true));

    /// <summary>Any authenticated user (creations, searches filtered by the endpoint).</summary>
    public static AccessRule AnyUser { get; } = new("a login", false, _ => Task.FromResult(true));

    public static AccessRule Admin { get; } = new("an admin", false, _ => Task.FromResult(false));

    /// <summary>Human-readable, for logs and the test's listing.</summary>
    public string Description { get; }

    public bool IsOpen { get; }

    public Task<bool> AllowsAsync(AccessCheck check) => _check(check);

    /// <summary>The user named by <paramref name="parameter"/> themself (admins always).</summary>
    public static AccessRule Self(string parameter) => new(
        $"to be the user '{parameter}' names",
        false,
        async c => string.Equals(await c.RequiredAsync(parameter).ConfigureAwait(false), c.User.Username, StringComparison.Ordinal));

    public static AccessRule Experiment(Capability capability, string parameter = "experiment_id") => new(
        $"{capability} on the experiment '{parameter}' names",
        false,
        async c => await c.AllowsAsync(ResourceKind.Experiment, await c.RequiredAsync(parameter).ConfigureAwait(false), capability).ConfigureAwait(false));

    /// <summary>On the experiment a name designates; an unknown name passes, to the endpoint's 404.</summary>
    public static AccessRule ExperimentByName(Capability capability) => new(
        $"{capability} on the experiment 'experiment_name' names",
        false,
        async c => await c.Access.ExperimentIdByNameAsync(await c.RequiredAsync("experiment_name").ConfigureAwait(false), c.Aborted).ConfigureAwait(false) is not { } id
            || await c.AllowsAsync(ResourceKind.Experiment, id, capability).ConfigureAwait(false));

    /// <summary>On every experiment a list names (runs/search's <c>experiment_ids</c>): a search never returns runs of an experiment the caller cannot read.</summary>
    public static AccessRule Experiments(Capability capability, string parameter) => new(
        $"{capability} on every experiment '{parameter}' names",
        false,
        async c =>
        {
            foreach (var id in await c.ValuesAsync(parameter).ConfigureAwait(false))
            {
                if (!await c.AllowsAsync(ResourceKind.Experiment, id, capability).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        });

    /// <summary>On the experiment of the run a parameter names (the first of <paramref name="parameters"/> given).</summary>
    public static AccessRule Run(Capability capability, params string[] parameters) => new(
        $"{capability} on the experiment of the run '{parameters[0]}' names",
        false,
        async c => await c.AllowsRunAsync(await c.RequiredAsync(parameters).ConfigureAwait(false), capability).ConfigureAwait(false));

    /// <summary>On the experiments of every run a parameter lists (repeated, or comma-separated when <paramref name="commaSeparated"/>).</summary>
    public static AccessRule Runs(Capability capability, string parameter, bool commaSeparated = false) => new(
        $"{capability} on the experiments of every run '{parameter}' names",
        false,
        async c =>
        {
            var values = await c.ValuesAsync(parameter).ConfigureAwait(false);
            var ids = commaSeparated ? values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)) : values; // split as the UI's chart reads them
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                if (!await c.AllowsRunAsync(id, capability).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        });

    public static AccessRule Model(Capability capability, string parameter = "name") => new(
        $"{capability} on the registered model '{parameter}' names",
        false,
        async c => await c.AllowsAsync(ResourceKind.RegisteredModel, await c.RequiredAsync(parameter).ConfigureAwait(false), capability).ConfigureAwait(false));

    /// <summary>
    /// The <c>mlflow-artifacts</c> proxy: the experiment is the path's leading numeric segment (<c>&lt;experiment&gt;/&lt;run&gt;/artifacts/…</c>);
    /// a path without one needs the default permission's <paramref name="capability"/>, as MLflow's auth app does.
    /// </summary>
    public static AccessRule ArtifactPath(Capability capability, string parameter = "path") => new(
        $"{capability} on the experiment the artifact path starts with",
        false,
        async c =>
        {
            var path = (await c.ValuesAsync(parameter).ConfigureAwait(false)) is [var p, ..] ? p.TrimStart('/') : string.Empty;
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            var first = slash < 0 ? path : path[..slash];
            return first.Length > 0 && first.All(char.IsAsciiDigit)
                ? await c.AllowsAsync(ResourceKind.Experiment, first, capability).ConfigureAwait(false)
                : c.Access.DefaultPermission.Allows(capability);
        });

    /// <summary>A rule chosen by the value of a parameter (the UI's actions); an unknown value passes, to the endpoint's own answer.</summary>
    public static AccessRule ByValue(string parameter, IReadOnlyDictionary<string, AccessRule> rules) => new(
        $"by '{parameter}': " + string.Join("; ", rules.Select(r => r.Key + " → " + r.Value.Description)),
        false,
        async c => (await c.ValuesAsync(parameter).ConfigureAwait(false)) is [var value, ..] && rules.TryGetValue(value, out var rule)
            ? await rule.AllowsAsync(c).ConfigureAwait(false)
            : true);
}
