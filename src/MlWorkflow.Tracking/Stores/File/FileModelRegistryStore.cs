using System.Globalization;
using MlWorkflow.Tracking.Artifacts;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// MLflow's file-based model registry: reads and writes the exact <c>&lt;root&gt;/models/</c> layout of MLflow 2.x
/// (<c>models/&lt;name&gt;/meta.yaml</c>, <c>tags/</c>, <c>aliases/</c>, <c>version-&lt;n&gt;/meta.yaml</c> and its
/// <c>tags/</c>), so that MLflow's UI and Python client read what .NET registered, and the other way round.
/// </summary>
/// <remarks>
/// <para>Concurrency scheme. Every write holds the registry gate: a semaphore in this process and an exclusive OS
/// lock on the file <c>models/.mlworkflow-registry.lock</c> (released by the OS if the process dies; MLflow lists only
/// folders under <c>models/</c>, so it never sees the file). Under the gate a new version number is
/// 1 + the highest <c>version-&lt;n&gt;</c> folder that holds a <c>meta.yaml</c> (deleted versions included), and the
/// version's <c>meta.yaml</c> is created exclusively (written to a temp file, then moved without overwrite); should the
/// number have been taken meanwhile (by a writer that does not take the gate, such as MLflow's Python store), the next
/// number is tried. So processes registering versions of one model at the same time get distinct, consecutive numbers
/// and no version is lost. Every <c>meta.yaml</c> and tag file is replaced whole by temp file and rename, so a reader
/// sees the old or the new content, never a part.</para>
/// <para>Names: a model name is one folder name; names with <c>/</c>, <c>\</c>, <c>%</c>, control characters, or equal
/// to <c>.</c> or <c>..</c> are refused, and every path is checked to stay inside <c>models/</c>.</para>
/// </remarks>
public sealed partial class FileModelRegistryStore : IModelRegistryStore
{
    private const string ModelsFolderName = "models";
    private const string MetaFileName = "meta.yaml";
    private const string TagsFolderName = "tags";
    private const string AliasesFolderName = "aliases";
    private const string VersionFolderPrefix = "version-";
    private const string LockFileName = ".mlworkflow-registry.lock";
    private const string DeletedStage = "Deleted_Internal";

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Opens (and on first write creates) the registry of a store root.</summary>
    /// <param name="rootDirectory">The registry root, such as <c>./mlruns</c> (the tracking root by default in MLflow); models go in <c>&lt;root&gt;/models</c>.</param>
    /// <param name="timeProvider">The clock for creation and update times. The default value is <see cref="TimeProvider.System"/>.</param>
    public FileModelRegistryStore(string rootDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        if (rootDirectory.Contains('\0', StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter("The registry root folder must not contain a NUL character.");
        }

        RootDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory));
        ModelsDirectory = Path.Combine(RootDirectory, ModelsFolderName);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The registry's absolute root folder (the tracking store's root by default).</summary>
    public string RootDirectory { get; }

    /// <summary>The absolute folder that holds one folder per registered model: <c>&lt;root&gt;/models</c>.</summary>
    public string ModelsDirectory { get; }

    /// <summary>Opens the registry of a registry URI: <c>file:///abs/mlruns</c>, <c>file:relative</c> or a plain path.</summary>
    /// <param name="uri">The registry URI (MLflow: the tracking URI unless <c>MLFLOW_REGISTRY_URI</c> says otherwise).</param>
    /// <param name="timeProvider">The clock. The default value is <see cref="TimeProvider.System"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> when the URI is not a local file URI or path.</exception>
    public static FileModelRegistryStore FromUri(string uri, TimeProvider? timeProvider = null) => new(FileUris.ToPath(uri), timeProvider);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The folder of a model, after the name rules; checked to be a direct child of <c>models/</c>.</summary>
    private string ModelDirectory(string? name)
    {
        RegistryValidation.ValidateModelName(name);
        var path = Path.GetFullPath(Path.Combine(ModelsDirectory, name!));
        if (!string.Equals(Path.GetDirectoryName(path), ModelsDirectory, StringComparison.Ordinal))
        {
            throw MlflowException.InvalidParameter($"Registered model name '{TrackingValidation.Printable(name!)}' would leave the registry folder.");
        }

        return path;
    }

    private static string VersionDirectory(string modelDirectory, int version) =>
        Path.Combine(modelDirectory, VersionFolderPrefix + version.ToString(CultureInfo.InvariantCulture));

    private static MlflowException ModelNotFound(string name) =>
        MlflowException.NotFound($"Registered Model with name={name} not found.");

    private static MlflowException VersionNotFound(string name, int version) =>
        MlflowException.NotFound(string.Create(CultureInfo.InvariantCulture, $"Model Version (name={name}, version={version}) not found."));

    /// <summary>Runs file work, turning I/O failures into <see cref="MlflowException"/> with <see cref="ErrorCode.InternalError"/>.</summary>
    private static T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (MlflowException)
        {
            throw;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new MlflowException(ErrorCode.InternalError, $"The file model registry failed: {error.Message}", error);
        }
    }

    private static Task<T> Read<T>(Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Guard(work));
    }

    /// <summary>
    /// Runs a long scan (a search over every run or model folder) on the thread pool. The file system offers no async API for
    /// listing and reading these files, and run inline the scan would hold the caller's thread, a server's request thread
    /// included, for its whole length; short calls stay inline so that logging costs no thread hop.
    /// </summary>
    private static Task<T> ReadInBackground<T>(Func<T> work, CancellationToken cancellationToken) =>
        Task.Run(() => Guard(work), cancellationToken);

    /// <summary>Runs a write under the registry gate (see the remarks of <see cref="FileModelRegistryStore"/>).</summary>
    private async Task<T> WriteAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        Guard(() => Directory.CreateDirectory(ModelsDirectory));
        using var registryLock = await StoreLock.AcquireAsync(_gate, Path.Combine(ModelsDirectory, LockFileName), "registry", cancellationToken).ConfigureAwait(false);
        return Guard(work);
    }

    private async Task WriteAsync(Action work, CancellationToken cancellationToken) =>
        await WriteAsync(
            () =>
            {
                work();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
}
