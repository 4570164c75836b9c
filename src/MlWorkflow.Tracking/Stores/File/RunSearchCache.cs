using System.Collections.Concurrent;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// A file store's search cache: one <see cref="CachedRun"/> per run folder, where each experiment's change journal
/// was read up to, and a watcher per large experiment that reports the run folders changed by anyone.
/// </summary>
internal sealed class RunSearchCache : IDisposable
{
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, CachedRun> _runs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JournalPosition> _journals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ExperimentWatcher> _watchers = new(StringComparer.Ordinal);

    /// <summary>What a cached key holds.</summary>
    public enum Kind
    {
        /// <summary>A metric: its latest value.</summary>
        Metric,

        /// <summary>A param: written once, never re-checked once present.</summary>
        Param,

        /// <summary>A tag: its text.</summary>
        Tag,
    }

    /// <summary>The entry of a run folder, made empty when absent.</summary>
    public CachedRun Get(string directory) => _runs.GetOrAdd(directory, static _ => new CachedRun());

    /// <summary>Drops a run folder's entry (its files changed).</summary>
    public void Forget(string directory) => _runs.TryRemove(directory, out _);

    /// <summary>Drops every entry.</summary>
    public void Clear() => _runs.Clear();

    /// <summary>Where this cache stopped reading an experiment's change journal.</summary>
    public JournalPosition Journal(string experimentDirectory) => _journals.GetOrAdd(experimentDirectory, static _ => new JournalPosition());

    /// <summary>
    /// Watches an experiment of at least <paramref name="watchThreshold"/> run folders (placing the watches before
    /// this search reads anything), and replaces a watcher that broke.
    /// </summary>
    public void Watch(string experimentDirectory, int runFolders, int watchThreshold)
    {
        if (_watchers.TryGetValue(experimentDirectory, out var watcher))
        {
            if (!watcher.Broken)
            {
                return;
            }

            _watchers.TryRemove(experimentDirectory, out _);
            watcher.Dispose();
        }

        if (runFolders >= watchThreshold)
        {
            var started = ExperimentWatcher.Start(experimentDirectory, Forget);
            if (!_watchers.TryAdd(experimentDirectory, started))
            {
                started.Dispose();
            }
        }
    }

    /// <summary>Whether every change under an experiment folder since its last full check is known without a check: its watcher is ready, trusted and passes a barrier.</summary>
    public bool IsCurrent(string experimentDirectory) =>
        _watchers.TryGetValue(experimentDirectory, out var watcher) && watcher.Ready && watcher.Trusted && watcher.PassBarrier(BarrierTimeout);

    /// <summary>A full check of an experiment's cached files begins: a watcher ready now sees every change after it.</summary>
    public void FullCheckStarting(string experimentDirectory)
    {
        if (_watchers.TryGetValue(experimentDirectory, out var watcher) && watcher.Ready)
        {
            watcher.Trusted = true;
        }
    }

    /// <summary>Stops every watcher; a later search places new ones.</summary>
    public void Dispose()
    {
        foreach (var directory in _watchers.Keys)
        {
            if (_watchers.TryRemove(directory, out var watcher))
            {
                watcher.Dispose();
            }
        }
    }
}
