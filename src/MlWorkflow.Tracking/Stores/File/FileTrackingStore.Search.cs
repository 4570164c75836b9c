using System.Collections.Concurrent;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Stores.File;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking;

/// <remarks>
/// Search reads, for each run folder of the searched experiments (in parallel), its <c>meta.yaml</c> and only the
/// metric, param and tag files the filter and order name; the whole run is loaded only for the returned page.
/// What was read is cached per store object and reused while it is unchanged. The rule: a cached value is valid
/// while the stamp (last write time and length) of the file it came from is unchanged — <c>meta.yaml</c>, each
/// named metric and tag file, and, for a whole run, every file and folder it was read from; params are written
/// once, so a param read once is not stamped again. Every search stats those files, so writes by other processes
/// (MLflow's Python store included) are seen; writes through this object drop the run's entry at once.
/// </remarks>
public sealed partial class FileTrackingStore
{
    private RunSearchCache? _searchCache = new();

    /// <inheritdoc />
    public Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ExperimentIds is null || request.ExperimentIds.Count == 0)
        {
            throw MlflowException.InvalidParameter("A run search needs at least one experiment id.");
        }

        foreach (var id in request.ExperimentIds)
        {
            TrackingValidation.ValidateExperimentId(id);
        }

        if (request.MaxResults < 1 || request.MaxResults > SearchRunsRequest.MaxResultsLimit)
        {
            throw MlflowException.InvalidParameter($"Invalid value {request.MaxResults} for parameter 'max_results' supplied. It must be a positive integer at most {SearchRunsRequest.MaxResultsLimit}.");
        }

        var query = RunSearchQuery.Parse(request.Filter, request.OrderBy);
        SearchPageToken.Decode(request.PageToken);
        EnsureInitialized();
        return Run(() =>
        {
            var candidates = new List<(string Directory, ExperimentMeta Experiment)>();
            var experiments = new Dictionary<string, ExperimentMeta>(StringComparer.Ordinal);
            foreach (var id in request.ExperimentIds.Distinct(StringComparer.Ordinal))
            {
                var experiment = ReadExperimentById(id) ?? throw MlflowException.NotFound($"Could not find experiment with ID {id}");
                experiments[experiment.Directory] = experiment;
                candidates.AddRange(ListRunDirectories(experiment.Directory).Select(d => (d, experiment)));
            }

            var cache = _searchCache ??= new RunSearchCache();
            var views = new FileRunSearchView?[candidates.Count];
            Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var view = ReadSearchView(cache, candidates[i].Directory, candidates[i].Experiment, query, request.RunViewType);
                views[i] = view is not null && query.Matches(view) ? view : null;
            });

            var matched = new List<IRunSearchView>(views.Length);
            foreach (var view in views)
            {
                if (view is not null)
                {
                    matched.Add(view);
                }
            }

            matched.Sort(query.Comparer);
            var page = SearchPageToken.Page(matched, request.MaxResults, request.PageToken);
            var runs = new Run[page.Items.Count];
            Parallel.For(0, runs.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var view = (FileRunSearchView)page.Items[i];
                runs[i] = LoadCachedRun(cache, view, experiments[Path.GetDirectoryName(view.Directory)!]);
            });
            return new PagedList<Run>(runs, page.NextPageToken);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ExperimentSearchQuery.Parse(request.Filter, request.OrderBy);
        if (request.MaxResults < 1 || request.MaxResults > SearchPageToken.MaxResultsLimit)
        {
            throw MlflowException.InvalidParameter($"Invalid value {request.MaxResults} for parameter 'max_results' supplied. It must be a positive integer at most {SearchPageToken.MaxResultsLimit}.");
        }

        SearchPageToken.Decode(request.PageToken);
        EnsureInitialized();
        return Run(() =>
        {
            var experiments = ListExperimentMetas(request.ViewType)
                .Where(e => request.ViewType == ViewType.All || (e.LifecycleStage == LifecycleStage.Active) == (request.ViewType == ViewType.ActiveOnly))
                .Select(e => e.ToExperiment(ReadTagFolder(Path.Combine(e.Directory, "tags")).Select(t => new ExperimentTag(t.Key, t.Value)).ToList()))
                .Where(query.Matches)
                .ToList();
            experiments.Sort(query.Comparer);
            return SearchPageToken.Page(experiments, request.MaxResults, request.PageToken);
        }, cancellationToken);
    }

    private void InvalidateSearchCache() => _searchCache?.Clear();

    private static bool InView(LifecycleStage stage, ViewType viewType) => viewType switch
    {
        ViewType.ActiveOnly => stage == LifecycleStage.Active,
        ViewType.DeletedOnly => stage == LifecycleStage.Deleted,
        _ => true,
    };

    /// <summary>The search view of one run folder, from the cache where its files are unchanged; null when it is not a readable run or not in the view type.</summary>
    private FileRunSearchView? ReadSearchView(RunSearchCache cache, string directory, ExperimentMeta experiment, RunSearchQuery query, ViewType viewType)
    {
        var entry = cache.Get(directory);
        lock (entry)
        {
            var metaStamp = FileStamp.OfFile(Path.Combine(directory, MetaFileName));
            if (metaStamp.IsMissing)
            {
                return null;
            }

            if (metaStamp != entry.MetaStamp || entry.Meta is null)
            {
                entry.Meta = ReadRunMeta(directory, experiment);
                entry.MetaStamp = metaStamp;
                entry.Whole = null;
            }

            var meta = entry.Meta;
            if (meta is null || !InView(meta.Info.LifecycleStage, viewType))
            {
                return null;
            }

            var metrics = new Dictionary<string, double>(query.MetricKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.MetricKeys)
            {
                if (entry.Read(entry.Metrics, Path.Combine(directory, "metrics"), key, CachedKind.Metric) is { Present: true } value)
                {
                    metrics[key] = value.Number;
                }
            }

            var parameters = new Dictionary<string, string>(query.ParamKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.ParamKeys)
            {
                if (entry.Read(entry.Params, Path.Combine(directory, "params"), key, CachedKind.Param) is { Present: true } value)
                {
                    parameters[key] = value.Text!;
                }
            }

            var tags = new Dictionary<string, string>(query.TagKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.TagKeys)
            {
                if (entry.Read(entry.Tags, Path.Combine(directory, "tags"), key, CachedKind.Tag) is { Present: true } value)
                {
                    tags[key] = value.Text!;
                }
            }

            IReadOnlyList<DatasetInput>? datasets = null;
            if (query.UsesDatasets)
            {
                var stamp = FileStamp.OfDirectory(Path.Combine(directory, "inputs"));
                if (entry.Datasets is null || stamp != entry.DatasetsStamp)
                {
                    entry.Datasets = ReadDatasetInputs(directory);
                    entry.DatasetsStamp = stamp;
                }

                datasets = entry.Datasets;
            }

            return new FileRunSearchView(meta.Info, directory, metrics, parameters, tags, datasets);
        }
    }

    /// <summary>The whole run of a search result, from the cache while every file it was read from is unchanged.</summary>
    private Run LoadCachedRun(RunSearchCache cache, FileRunSearchView view, ExperimentMeta experiment)
    {
        var entry = cache.Get(view.Directory);
        lock (entry)
        {
            if (entry.Whole is { } whole && entry.WholeStamps!.All(s => (s.IsDirectory ? FileStamp.OfDirectory(s.Path) : FileStamp.OfFile(s.Path)) == s.Stamp))
            {
                return whole;
            }

            var stamps = new List<(string Path, FileStamp Stamp, bool IsDirectory)>();
            var metaPath = Path.Combine(view.Directory, MetaFileName);
            stamps.Add((metaPath, FileStamp.OfFile(metaPath), false));
            foreach (var folder in new[] { "metrics", "params", "tags", "inputs" })
            {
                var path = Path.Combine(view.Directory, folder);
                stamps.Add((path, FileStamp.OfDirectory(path), true));
                if (Directory.Exists(path))
                {
                    foreach (var nested in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories))
                    {
                        stamps.Add((nested, FileStamp.OfDirectory(nested), true));
                    }
                }
            }

            foreach (var folder in new[] { "metrics", "params", "tags" })
            {
                foreach (var (_, path) in KeyFiles(Path.Combine(view.Directory, folder)))
                {
                    stamps.Add((path, FileStamp.OfFile(path), false));
                }
            }

            var meta = ReadRunMeta(view.Directory, experiment) ?? throw MlflowException.NotFound($"Run '{view.Info.RunId}' not found");
            var run = LoadRun(meta);
            entry.Whole = run;
            entry.WholeStamps = stamps;
            return run;
        }
    }

    private enum CachedKind
    {
        Metric,
        Param,
        Tag,
    }

    /// <summary>One cached value: present or not, the latest metric value or the text, and the stamp of its file.</summary>
    private sealed record CachedValue(FileStamp Stamp, bool Present, double Number, string? Text);

    /// <summary>What was read of one run folder.</summary>
    private sealed class CachedRun
    {
        public FileStamp MetaStamp { get; set; } = FileStamp.Missing;

        public RunMeta? Meta { get; set; }

        public Dictionary<string, CachedValue> Metrics { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, CachedValue> Params { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, CachedValue> Tags { get; } = new(StringComparer.Ordinal);

        public FileStamp DatasetsStamp { get; set; } = FileStamp.Missing;

        public List<DatasetInput>? Datasets { get; set; }

        public Run? Whole { get; set; }

        public List<(string Path, FileStamp Stamp, bool IsDirectory)>? WholeStamps { get; set; }

        /// <summary>Reads one key through the cache (the caller holds the entry's lock).</summary>
        public CachedValue Read(Dictionary<string, CachedValue> map, string folder, string key, CachedKind kind)
        {
            if (kind == CachedKind.Param && map.TryGetValue(key, out var once) && once.Present)
            {
                return once;
            }

            string path;
            try
            {
                path = KeyPath(folder, key);
            }
            catch (MlflowException)
            {
                return new CachedValue(FileStamp.Missing, false, 0, null);
            }

            var stamp = FileStamp.OfFile(path);
            if (map.TryGetValue(key, out var cached) && cached.Stamp == stamp)
            {
                return cached;
            }

            CachedValue value;
            var text = stamp.IsMissing ? null : StoreFiles.TryReadText(path);
            if (text is null)
            {
                value = new CachedValue(stamp, false, 0, null);
            }
            else if (kind == CachedKind.Metric)
            {
                var latest = MetricFileFormat.Latest(MetricFileFormat.Parse(key, text));
                value = new CachedValue(stamp, latest is not null, latest?.Value ?? 0, null);
            }
            else
            {
                value = new CachedValue(stamp, true, 0, text);
            }

            map[key] = value;
            return value;
        }
    }

    /// <summary>The per-store search cache: one entry per run folder.</summary>
    private sealed class RunSearchCache
    {
        private readonly ConcurrentDictionary<string, CachedRun> _runs = new(StringComparer.Ordinal);

        public CachedRun Get(string directory) => _runs.GetOrAdd(directory, static _ => new CachedRun());

        public void Forget(string directory) => _runs.TryRemove(directory, out _);

        public void Clear() => _runs.Clear();
    }
}
