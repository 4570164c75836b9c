using System.Collections.Concurrent;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// Watches an experiment folder and everything under it (inotify on Linux) and reports each run folder in which
/// anything was created, written, renamed or deleted, by any process, MLflow's Python client included.
/// A barrier makes it exact: <see cref="PassBarrier"/> creates a marker file in the experiment folder and waits until
/// its event comes through, and since a watch delivers its events in order, every change made before the barrier
/// has been reported by then. A watch that overflows or fails stops being <see cref="Ready"/>.
/// </summary>
internal sealed class ExperimentWatcher : IDisposable
{
    private const string BarrierPrefix = ".mlworkflow-barrier-";
    private readonly string _directory;
    private readonly Action<string> _runChanged;
    private readonly FileSystemWatcher _watcher;
    private readonly ConcurrentDictionary<string, ManualResetEventSlim> _barriers = new(StringComparer.Ordinal);
    private volatile bool _started;
    private volatile bool _broken;

    private ExperimentWatcher(string directory, Action<string> runChanged)
    {
        _directory = Path.TrimEndingDirectorySeparator(directory);
        _runChanged = runChanged;
        _watcher = new FileSystemWatcher(_directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.Attributes,
        };
        _watcher.Changed += (_, e) => OnEvent(e.FullPath, created: false);
        _watcher.Created += (_, e) => OnEvent(e.FullPath, created: true);
        _watcher.Deleted += (_, e) => OnEvent(e.FullPath, created: false);
        _watcher.Renamed += (_, e) =>
        {
            OnEvent(e.OldFullPath, created: false);
            OnEvent(e.FullPath, created: false);
        };
        _watcher.Error += (_, _) => _broken = true;
    }

    /// <summary>Whether the watch is in place over the whole folder tree and has lost no event.</summary>
    public bool Ready => _started && !_broken;

    /// <summary>Whether the watch failed (an overflow, a limit reached): its owner should replace it.</summary>
    public bool Broken => _broken;

    /// <summary>Whether a full check of the cache began after the watch was ready, so the cache plus the reported changes is exact.</summary>
    public bool Trusted { get; set; }

    /// <summary>Starts watching; returns once the watches are in place (a while on a large tree), or broken when they cannot be.</summary>
    public static ExperimentWatcher Start(string directory, Action<string> runChanged)
    {
        var watcher = new ExperimentWatcher(directory, runChanged);
        try
        {
            watcher._watcher.EnableRaisingEvents = true;
            watcher._started = true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // No watch (a limit on watches reached, a file system that cannot be watched): the store re-checks files instead.
            watcher._broken = true;
        }

        return watcher;
    }

    /// <summary>Waits until every change made before this call has been reported; false when that cannot be known within <paramref name="timeout"/>.</summary>
    public bool PassBarrier(TimeSpan timeout)
    {
        if (!Ready)
        {
            return false;
        }

        var name = BarrierPrefix + Guid.NewGuid().ToString("N");
        using var seen = new ManualResetEventSlim(false);
        _barriers[name] = seen;
        var path = Path.Combine(_directory, name);
        try
        {
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
            }

            return seen.Wait(timeout) && Ready;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            _barriers.TryRemove(name, out _);
            StoreFiles.TryDelete(path);
        }
    }

    private void OnEvent(string fullPath, bool created)
    {
        if (fullPath.Length <= _directory.Length + 1 || !fullPath.StartsWith(_directory, StringComparison.Ordinal))
        {
            return;
        }

        var relative = fullPath.AsSpan(_directory.Length + 1);
        var separator = relative.IndexOf(Path.DirectorySeparatorChar);
        var first = separator < 0 ? relative : relative[..separator];
        if (separator < 0 && first.StartsWith(BarrierPrefix, StringComparison.Ordinal))
        {
            if (created && _barriers.TryGetValue(first.ToString(), out var seen))
            {
                seen.Set();
            }

            return;
        }

        // Anything in or under a run folder (and the folder itself) drops that run's cache entry.
        _runChanged(Path.Combine(_directory, first.ToString()));
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        _broken = true;
        _watcher.Dispose();
    }
}
