using System.Collections.Concurrent;
using MlWorkflow.Tracking.Search;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Stores.File;

/// <remarks>
/// Search reads, for each run folder of the searched experiments (in parallel), its <c>meta.yaml</c> and only the
/// metric, param and tag files the filter and order name; the whole run is loaded only for the returned page.
/// What was read is cached per store object. The rule that keeps the cache right:
/// <list type="number">
/// <item>A write through this object drops the run's entry at once.</item>
/// <item>Every write through any MlWorkflow file store (another object, another process) appends the run id to
/// the experiment's change journal (<c>.mlworkflow-changes</c>, written after the run's files); each search reads the
/// lines added since the last one and drops those runs' entries.</item>
/// <item>Run folders added or removed by anyone are seen at once: the experiment folder is listed on every search.</item>
/// <item>Writes by other tools inside existing runs (MLflow's Python client appending a metric, rewriting a tag or
/// meta.yaml) are seen by a full revalidation — the last write time and length of every file the cache used
/// (params excepted: they are written once) — which a search makes when the previous one is older than
/// <see cref="SearchCacheRevalidationInterval"/>, or when a journal was replaced.</item>
/// </list>
/// </remarks>
public sealed partial class FileTrackingStore
{
    private readonly RunSearchCache _searchCache = new();
    private long _lastFullValidation = long.MinValue;

    /// <summary>
    /// How long a search may trust cached run data without checking the files' write times and lengths, for writers
    /// that bypass MlWorkflow (MLflow's Python client). Writes through MlWorkflow are always seen at once.
    /// Zero checks on every search. The default value is 2 seconds.
    /// </summary>
    public TimeSpan SearchCacheRevalidationInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Records a run's change for this object's cache and for other stores (the experiment's change journal).</summary>
    private void RunChanged(string runDirectory)
    {
        _searchCache.Forget(runDirectory);
        ChangeJournal.Record(runDirectory);
    }

    /// <inheritdoc />
    public async Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default)
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
        return await RunInBackground(() =>
        {
            var candidates = new List<(string Directory, ExperimentMeta Experiment)>();
            var experiments = new Dictionary<string, ExperimentMeta>(StringComparer.Ordinal);
            foreach (var id in request.ExperimentIds.Distinct(StringComparer.Ordinal))
            {
                var experiment = ReadExperimentById(id) ?? throw MlflowException.NotFound($"Could not find experiment with ID {id}");
                experiments[experiment.Directory] = experiment;
                candidates.AddRange(ListRunDirectories(experiment.Directory).Select(d => (d, experiment)));
            }

            var cache = _searchCache;
            var validate = BeginSearchValidation(cache, experiments.Values);
            var views = new FileRunSearchView?[candidates.Count];
            Parallel.For(0, candidates.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var view = ReadSearchView(cache, candidates[i].Directory, candidates[i].Experiment, query, request.RunViewType, validate);
                views[i] = view is not null && query.Matches(view) ? view : null;
            });

            var matched = new List<FileRunSearchView>(views.Length);
            foreach (var view in views)
            {
                if (view is not null)
                {
                    matched.Add(view);
                }
            }

            query.Sort(matched);
            var page = SearchPageToken.Page(matched, request.MaxResults, request.PageToken);
            var runs = new Run[page.Items.Count];
            Parallel.For(0, runs.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
            {
                var view = page.Items[i];
                runs[i] = LoadCachedRun(cache, view, experiments[Path.GetDirectoryName(view.Directory)!], validate);
            });
            return new PagedList<Run>(runs, page.NextPageToken);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PagedList<Experiment>> SearchExperimentsAsync(SearchExperimentsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ExperimentSearchQuery.Parse(request.Filter, request.OrderBy);
        if (request.MaxResults < 1 || request.MaxResults > SearchPageToken.MaxResultsLimit)
        {
            throw MlflowException.InvalidParameter($"Invalid value {request.MaxResults} for parameter 'max_results' supplied. It must be a positive integer at most {SearchPageToken.MaxResultsLimit}.");
        }

        SearchPageToken.Decode(request.PageToken);
        EnsureInitialized();
        return await RunInBackground(() =>
        {
            var experiments = ListExperimentMetas(request.ViewType)
                .Where(e => request.ViewType == ViewType.All || (e.LifecycleStage == LifecycleStage.Active) == (request.ViewType == ViewType.ActiveOnly))
                .Select(e => e.ToExperiment(ReadTagFolder(Path.Combine(e.Directory, "tags")).Select(t => new ExperimentTag(t.Key, t.Value)).ToList()))
                .Where(query.Matches)
                .ToList();
            experiments.Sort(query.Comparer);
            return SearchPageToken.Page(experiments, request.MaxResults, request.PageToken);
        }, cancellationToken).ConfigureAwait(false);
    }

    private void InvalidateSearchCache() => _searchCache.Clear();

    /// <summary>Applies the change journals of the searched experiments and decides whether this search revalidates every cached file.</summary>
    private bool BeginSearchValidation(RunSearchCache cache, IEnumerable<ExperimentMeta> experiments)
    {
        var now = _time.GetTimestamp();
        var validate = _lastFullValidation == long.MinValue || _time.GetElapsedTime(_lastFullValidation, now) >= SearchCacheRevalidationInterval;
        foreach (var experiment in experiments)
        {
            var changed = new List<string>();
            var position = cache.Journal(experiment.Directory);
            lock (position)
            {
                if (!ChangeJournal.TryReadSince(experiment.Directory, position, changed))
                {
                    validate = true;
                }
            }

            foreach (var runId in changed)
            {
                cache.Forget(Path.Combine(experiment.Directory, runId));
            }
        }

        if (validate)
        {
            _lastFullValidation = now;
        }

        return validate;
    }

    private static bool InView(LifecycleStage stage, ViewType viewType) => viewType switch
    {
        ViewType.ActiveOnly => stage == LifecycleStage.Active,
        ViewType.DeletedOnly => stage == LifecycleStage.Deleted,
        _ => true,
    };

    /// <summary>The search view of one run folder, from the cache where it is valid; null when it is not a readable run or not in the view type.</summary>
    private FileRunSearchView? ReadSearchView(RunSearchCache cache, string directory, ExperimentMeta experiment, RunSearchQuery query, ViewType viewType, bool validate)
    {
        var entry = cache.Get(directory);
        lock (entry)
        {
            if (entry.Meta is null || validate)
            {
                var metaPath = Path.Combine(directory, MetaFileName);
                var metaStamp = validate && entry.Meta is not null ? FileStamp.OfFile(metaPath) : FileStamp.Missing;
                if (entry.Meta is null || metaStamp != entry.MetaStamp)
                {
                    var text = StoreFiles.TryReadText(metaPath, out metaStamp);
                    entry.Meta = text is { Length: > 0 } ? ParseRunMeta(text, directory, experiment) : null;
                    entry.MetaStamp = metaStamp;
                    entry.Whole = null;
                }
            }

            var meta = entry.Meta;
            if (meta is null || !InView(meta.Info.LifecycleStage, viewType))
            {
                return null;
            }

            // Nothing was reloaded: the view built by an earlier search still holds every value this one needs.
            if (!validate && entry.View is { } earlier && ReferenceEquals(earlier.Info, meta.Info) && earlier.Covers(query))
            {
                return earlier;
            }

            var metrics = new Dictionary<string, double>(query.MetricKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.MetricKeys)
            {
                if (entry.Read(entry.Metrics, directory, "metrics", key, CachedKind.Metric, validate) is { Present: true } value)
                {
                    metrics[key] = value.Number;
                }
            }

            var parameters = new Dictionary<string, string>(query.ParamKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.ParamKeys)
            {
                if (entry.Read(entry.Params, directory, "params", key, CachedKind.Param, validate) is { Present: true } value)
                {
                    parameters[key] = value.Text!;
                }
            }

            var tags = new Dictionary<string, string>(query.TagKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.TagKeys)
            {
                if (entry.Read(entry.Tags, directory, "tags", key, CachedKind.Tag, validate) is { Present: true } value)
                {
                    tags[key] = value.Text!;
                }
            }

            IReadOnlyList<DatasetInput>? datasets = null;
            if (query.UsesDatasets)
            {
                if (entry.Datasets is null || validate)
                {
                    var stamp = FileStamp.OfDirectory(Path.Combine(directory, "inputs"));
                    if (entry.Datasets is null || stamp != entry.DatasetsStamp)
                    {
                        entry.Datasets = ReadDatasetInputs(directory);
                        entry.DatasetsStamp = stamp;
                    }
                }

                datasets = entry.Datasets;
            }

            var view = new FileRunSearchView(meta.Info, directory, query, metrics, parameters, tags, datasets);
            entry.View = view;
            return view;
        }
    }

    /// <summary>The whole run of a search result, from the cache while every file it was read from is unchanged.</summary>
    private Run LoadCachedRun(RunSearchCache cache, FileRunSearchView view, ExperimentMeta experiment, bool validate)
    {
        var entry = cache.Get(view.Directory);
        lock (entry)
        {
            if (entry.Whole is { } whole && (!validate || entry.WholeStamps!.All(s => (s.IsDirectory ? FileStamp.OfDirectory(s.Path) : FileStamp.OfFile(s.Path)) == s.Stamp)))
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
                foreach (var (_, path) in KeyFiles.Enumerate(Path.Combine(view.Directory, folder)))
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

        public FileRunSearchView? View { get; set; }

        public List<(string Path, FileStamp Stamp, bool IsDirectory)>? WholeStamps { get; set; }

        /// <summary>Reads one key through the cache (the caller holds the entry's lock); without <paramref name="validate"/> a cached value is trusted.</summary>
        public CachedValue Read(Dictionary<string, CachedValue> map, string runDirectory, string folder, string key, CachedKind kind, bool validate)
        {
            if (map.TryGetValue(key, out var cached) && (!validate || (kind == CachedKind.Param && cached.Present)))
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
            var text = StoreFiles.TryReadText(path, out var stamp);
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
        private readonly ConcurrentDictionary<string, JournalPosition> _journals = new(StringComparer.Ordinal);

        public CachedRun Get(string directory) => _runs.GetOrAdd(directory, static _ => new CachedRun());

        public void Forget(string directory) => _runs.TryRemove(directory, out _);

        public void Clear() => _runs.Clear();

        public JournalPosition Journal(string experimentDirectory) => _journals.GetOrAdd(experimentDirectory, static _ => new JournalPosition());
    }
}
