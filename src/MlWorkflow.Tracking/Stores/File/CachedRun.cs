using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>One cached value: present or not, the latest metric value or the text, and the stamp of its file.</summary>
internal sealed record CachedValue(FileStamp Stamp, bool Present, double Number, string? Text);

/// <summary>What the search cache read of one run folder; callers hold the object's lock while they use it.</summary>
internal sealed class CachedRun
{
    public FileStamp MetaStamp { get; set; } = FileStamp.Missing;

    public FileTrackingStore.RunMeta? Meta { get; set; }

    public Dictionary<string, CachedValue> Metrics { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CachedValue> Params { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CachedValue> Tags { get; } = new(StringComparer.Ordinal);

    public FileStamp DatasetsStamp { get; set; } = FileStamp.Missing;

    public List<DatasetInput>? Datasets { get; set; }

    public Run? Whole { get; set; }

    public FileRunSearchView? View { get; set; }

    public List<(string Path, FileStamp Stamp, bool IsDirectory)>? WholeStamps { get; set; }

    /// <summary>Reads one key through the cache (the caller holds the entry's lock); without <paramref name="validate"/> a cached value is trusted.</summary>
    public CachedValue Read(Dictionary<string, CachedValue> map, string runDirectory, string folder, string key, RunSearchCache.Kind kind, bool validate)
    {
        if (map.TryGetValue(key, out var cached) && (!validate || (kind == RunSearchCache.Kind.Param && cached.Present)))
        {
            return cached;
        }

        if (!TrackingValidation.IsSafeKeyPath(key))
        {
            return map[key] = new CachedValue(FileStamp.Missing, false, 0, null);
        }

        var path = Path.Join(runDirectory, folder, Path.DirectorySeparatorChar == '/' ? key : key.Replace('/', Path.DirectorySeparatorChar));
        if (cached is not null && FileStamp.OfFile(path) == cached.Stamp)
        {
            return cached;
        }

        CachedValue value;
        if (KeyFiles.IsLink(path))
        {
            // A planted link is never followed: the key reads as absent.
            value = new CachedValue(FileStamp.OfFile(path), false, 0, null);
        }
        else if (kind == RunSearchCache.Kind.Metric)
        {
            // Stamped before the streamed read: a change during the read shows as a new stamp at the next check.
            var stamp = FileStamp.OfFile(path);
            var latest = stamp.IsMissing ? null : MetricFileReader.ReadLatest(path, key);
            value = new CachedValue(stamp, latest is not null, latest?.Value ?? 0, null);
        }
        else
        {
            var text = StoreFiles.TryReadText(path, out var stamp);
            value = new CachedValue(stamp, text is not null, 0, text);
        }

        map[key] = value;
        return value;
    }
}
