using System.Collections.Concurrent;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// MLflow's local file store: reads and writes the exact <c>mlruns/</c> layout of MLflow's own
/// <c>FileStore</c>, so that <c>mlflow ui</c> and MLflow's Python client read what .NET wrote, and the other way round.
/// </summary>
/// <remarks>
/// <para>Crash and concurrency safety: every <c>meta.yaml</c>, tag and param file is written whole to a temp file
/// in the same folder tree and renamed into place (a reader sees the old or the new content, never a part);
/// metric lines are appended with one <c>write</c> call per file per batch on an <c>O_APPEND</c> descriptor, while
/// the run's <c>metrics</c> folder is locked against other MlWorkflow writers; a torn last line (a writer killed
/// mid-write, a full disk) was never acknowledged and is cut off before the next append, so a new point always
/// starts on a fresh line; a reader skips a last line without its line break and any line that is not exactly
/// MLflow's format (both are counted on the meter <c>MlWorkflow.Tracking</c>: <c>mlworkflow.tracking.file.torn_lines_cut</c>
/// and <c>mlworkflow.tracking.file.skipped_lines</c>). A log-batch's metrics are all or nothing: every key is checked against the disk first (file-name limits,
/// keys that are folders of other keys, links), metrics are appended last, and if an append fails every metric file
/// is cut back to its length before the batch and the params and tags the batch created are removed (tags it
/// overwrote and a run name it set keep their new values, which a retry writes again), so a retry never doubles a point. Metric files are streamed (latest values and history pages never hold a whole file).
/// Links planted in a store are never followed: a run folder, key file or key folder that is a link is skipped when
/// read and refused when written. Experiment creation and renaming hold an exclusive
/// lock on the file <c>.mlworkflow-experiments.lock</c> in the root (an OS lock, released when a process dies),
/// so that of two processes creating the same name one wins and the other gets
/// <see cref="ErrorCode.ResourceAlreadyExists"/>. MLflow's Python store does not take that lock.</para>
/// <para>A store that was moved is read by its relative layout: a <c>file:</c> artifact location that pointed to
/// <c>&lt;old root&gt;/&lt;experiment id&gt;</c>, where no such store exists any more, is read as this root's.</para>
/// </remarks>
public sealed partial class FileTrackingStore : ITrackingStore, IMetricPointStore, IDisposable
{
    private const string TrashFolderName = ".trash";
    private const string ModelsFolderName = "models";
    private const string MetaFileName = "meta.yaml";
    private const string LockFileName = ".mlworkflow-experiments.lock";

    private static readonly HashSet<string> ReservedRunFolderNames = new(StringComparer.Ordinal) { "tags", "datasets", "traces", "models" };

    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, string> _runDirectories = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _experimentLock = new(1, 1);
    private readonly object _initializeLock = new();
    private volatile bool _initialized;

    /// <summary>Opens (and on first use creates) a file store in a folder.</summary>
    /// <param name="rootDirectory">The store's root folder, such as <c>./mlruns</c>; made absolute against the current folder.</param>
    /// <param name="timeProvider">The clock for creation, update and deletion times. The default value is <see cref="TimeProvider.System"/>.</param>
    /// <param name="defaultArtifactRoot">
    /// Where new experiments keep their artifacts (<c>&lt;root&gt;/&lt;experiment id&gt;</c>), as <c>mlflow server --default-artifact-root</c>
    /// sets it: a local folder or a <c>file:</c> URI, made absolute against the current folder, or a remote root such as
    /// <c>s3://bucket/prefix</c> (kept as given); experiments that exist keep theirs.
    /// The default value is null: the store's own folder.
    /// </param>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when <paramref name="defaultArtifactRoot"/> is blank or holds a NUL.</exception>
    public FileTrackingStore(string rootDirectory, TimeProvider? timeProvider = null, string? defaultArtifactRoot = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        if (rootDirectory.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter("The store root folder must not contain a NUL character.");
        }

        RootDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        if (defaultArtifactRoot is not null && (string.IsNullOrWhiteSpace(defaultArtifactRoot) || defaultArtifactRoot.Contains('\0', StringComparison.Ordinal)))
        {
            throw MlflowException.InvalidParameter("The default artifact root must be a local folder, a file: URI or a remote URI such as s3://bucket/prefix.");
        }

        // A remote root (s3://…, reached through an artifact repository) is kept as given; a local one is made an absolute file: URI.
        ArtifactRootUri = defaultArtifactRoot is not null && IsRemoteRoot(defaultArtifactRoot)
            ? defaultArtifactRoot.TrimEnd('/')
            : FileUris.FromPath(defaultArtifactRoot is null ? RootDirectory : FileUris.ToPath(defaultArtifactRoot));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Whether a default artifact root is remote: a scheme other than <c>file:</c>, such as <c>s3:</c>.</summary>
    internal static bool IsRemoteRoot(string root) => FileUris.HasScheme(root) && !root.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    /// <summary>The store's absolute root folder.</summary>
    public string RootDirectory { get; }

    /// <summary>
    /// The <c>file:</c> URI under which new experiments put their artifacts by default (<c>&lt;root URI&gt;/&lt;experiment id&gt;</c>):
    /// the store's own folder unless the store was opened with another default artifact root.
    /// </summary>
    public string ArtifactRootUri { get; }

    private string TrashDirectory => Path.Combine(RootDirectory, TrashFolderName);

    /// <summary>Opens a file store from a tracking URI: <c>file:///abs/mlruns</c>, <c>file:relative</c> or a plain path.</summary>
    /// <param name="uri">The tracking URI.</param>
    /// <param name="timeProvider">The clock. The default value is <see cref="TimeProvider.System"/>.</param>
    /// <param name="defaultArtifactRoot">Where new experiments keep their artifacts: a local folder, a <c>file:</c> URI or a remote root such as <c>s3://bucket/prefix</c>. The default value is null: the store's own folder.</param>
    /// <returns>The store.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the URI (or the default artifact root) is not a local file URI or path.</exception>
    public static FileTrackingStore FromUri(string uri, TimeProvider? timeProvider = null, string? defaultArtifactRoot = null) =>
        new(FileUris.ToPath(uri), timeProvider, defaultArtifactRoot);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Creates the root, <c>.trash</c> and the default experiment <c>0</c> when they are missing.</summary>
    private void EnsureInitialized()
    {
        if (_initialized)
        {
            return;
        }

        lock (_initializeLock)
        {
            if (_initialized)
            {
                return;
            }

            Guard(() =>
            {
                Directory.CreateDirectory(RootDirectory);
                Directory.CreateDirectory(TrashDirectory);
                var defaultDirectory = Path.Combine(RootDirectory, Experiment.DefaultExperimentId);
                if (!System.IO.File.Exists(Path.Combine(defaultDirectory, MetaFileName))
                    && !System.IO.File.Exists(Path.Combine(TrashDirectory, Experiment.DefaultExperimentId, MetaFileName)))
                {
                    Directory.CreateDirectory(defaultDirectory);
                    var now = Now();
                    StoreFiles.TryCreate(
                        Path.Combine(defaultDirectory, MetaFileName),
                        ExperimentMetaText(Experiment.DefaultExperimentId, Experiment.DefaultExperimentName, FileUris.Append(ArtifactRootUri, Experiment.DefaultExperimentId), LifecycleStage.Active, now, now, tags: null),
                        defaultDirectory);
                    CreateOutsideArtifactFolder(Experiment.DefaultExperimentId);
                }
            });
            _initialized = true;
        }
    }

    /// <summary>Runs file work, turning I/O failures into <see cref="MlflowException"/> (MLflow's file store answers INTERNAL_ERROR); the message names paths relative to the store root only.</summary>
    private void Guard(Action action) => Guard(() =>
    {
        action();
        return true;
    });

    private T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (MlflowException)
        {
            throw;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new MlflowException(ErrorCode.InternalError, $"The file store failed: {HideRoot(error.Message)}", error);
        }
    }

    /// <summary>Replaces the store's absolute root in a message by <c>&lt;store root&gt;</c>, so no server path leaves the library.</summary>
    private string HideRoot(string message) => message.Replace(RootDirectory, "<store root>", StringComparison.Ordinal);

    private static string ValueOrEmpty(string? value) => value ?? string.Empty;

    private Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Guard(work));
    }

    /// <summary>
    /// Runs a long scan (a search over every run or model folder) on the thread pool. The file system offers no async API for
    /// listing and reading these files, and run inline the scan would hold the caller's thread, a server's request thread
    /// included, for its whole length; short calls stay inline so that logging costs no thread hop.
    /// </summary>
    private Task<T> RunInBackground<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Run(() => Guard(work), cancellationToken);

    private Task Run(Action work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Guard(work);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the folder watchers the search cache placed on large experiments. Searches after this read from disk
    /// without a watcher; nothing written is affected.
    /// </summary>
    public void Dispose() => _searchCache.Dispose();
}
