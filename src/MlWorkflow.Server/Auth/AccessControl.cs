using System.Collections.Concurrent;

namespace MlWorkflow.Server.Auth;

/// <summary>Effective permissions (a user's record, else the default; admins everything) and the experiment of a run, for the checks of every call.</summary>
internal sealed class AccessControl(AuthStore store, ITrackingStore tracking, MlflowPermissionLevel defaultPermission)
{
    private const int MaxRunsRemembered = 100_000;

    /// <summary>A run never moves to another experiment, so its experiment is remembered instead of looked up on every logged metric.</summary>
    private readonly ConcurrentDictionary<string, string> _runExperiments = new(StringComparer.Ordinal);

    public AuthStore Store => store;

    public MlflowPermissionLevel DefaultPermission => defaultPermission;

    public async Task<MlflowPermissionLevel> PermissionAsync(AuthUser user, ResourceKind kind, string resource, CancellationToken cancellationToken) =>
        user.IsAdmin ? MlflowPermissionLevel.Manage : await store.PermissionAsync(kind, user.Id, resource, cancellationToken).ConfigureAwait(false) ?? defaultPermission;

    public async Task<bool> AllowsAsync(AuthUser user, ResourceKind kind, string resource, Capability capability, CancellationToken cancellationToken) =>
        (await PermissionAsync(user, kind, resource, cancellationToken).ConfigureAwait(false)).Allows(capability);

    /// <summary>Which resources of a kind the user may read: one query for a whole list.</summary>
    public async Task<Func<string, bool>> ReadableAsync(AuthUser user, ResourceKind kind, CancellationToken cancellationToken)
    {
        if (user.IsAdmin)
        {
            return _ => true;
        }

        var records = (await store.RecordsOfUserAsync(kind, user.Id, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.Resource, r => r.Permission, StringComparer.Ordinal);
        return resource => (records.TryGetValue(resource, out var p) ? p : defaultPermission).Allows(Capability.Read);
    }

    /// <summary>The experiment of a run; a missing run is the store's 404.</summary>
    public async Task<string> ExperimentOfRunAsync(string runId, CancellationToken cancellationToken)
    {
        if (_runExperiments.TryGetValue(runId, out var known))
        {
            return known;
        }

        var run = await tracking.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (_runExperiments.Count >= MaxRunsRemembered)
        {
            _runExperiments.Clear();
        }

        _runExperiments[runId] = run.Info.ExperimentId;
        return run.Info.ExperimentId;
    }

    /// <summary>The id of an experiment by name, or null when there is none (the endpoint then answers its 404).</summary>
    public async Task<string?> ExperimentIdByNameAsync(string name, CancellationToken cancellationToken) =>
        (await tracking.GetExperimentByNameAsync(name, cancellationToken).ConfigureAwait(false))?.ExperimentId;
}
