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
/// <see cref="SearchCacheRevalidationInterval"/>, or when a journal was replaced; in an experiment of at least
/// <see cref="SearchCacheWatchThreshold"/> run folders they are seen instead through an operating-system watch of
/// the experiment folder, which reports each changed run folder, and a marker file whose event proves that every
/// change made before the search has been reported.</item>
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

    /// <summary>
    /// The number of run folders from which a searched experiment is watched for changes by the operating system
    /// (inotify on Linux, any writer included) instead of re-checked file by file once
    /// <see cref="SearchCacheRevalidationInterval"/> has passed; a search then only waits for a marker file's event to
    /// know that every earlier change has been seen. A watch that fails or overflows falls back to re-checking.
    /// <see cref="int.MaxValue"/> turns watching off. The default value is 1,000.
    /// </summary>
    public int SearchCacheWatchThreshold { get; set; } = 1_000;

    /// <summary>Records a run's change for this object's cache and for other stores (the experiment's change journal).</summary>
    private void RunChanged(string runDirectory)
    {
        _searchCache.Forget(runDirectory);
        ChangeJournal.Record(runDirectory);
    }

    /// <inheritdoc />
    public async Task<PagedList<Run>> SearchRunsAsync(SearchRunsRequest request, CancellationToken cancellationToken = default)
    {
        TrackingValidation.ValidateSearchRunsRequest(request);

        var query = RunSearchQuery.Parse(request.Filter, request.OrderBy);
        SearchPageToken.Decode(request.PageToken);
        EnsureInitialized();
        return await RunInBackground(() =>
        {
            var candidates = new List<(string Directory, ExperimentMeta Experiment)>();
            var experiments = new Dictionary<string, ExperimentMeta>(StringComparer.Ordinal);
            var runFolders = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in request.ExperimentIds.Distinct(StringComparer.Ordinal))
            {
                var experiment = ReadExperimentById(id) ?? throw MlflowException.NotFound($"Could not find experiment with ID {id}");
                experiments[experiment.Directory] = experiment;
                var before = candidates.Count;
                candidates.AddRange(ListRunDirectories(experiment.Directory).Select(d => (d, experiment)));
                runFolders[experiment.Directory] = candidates.Count - before;
            }

            var cache = _searchCache;
            var validate = BeginSearchValidation(cache, experiments.Values, runFolders);
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
        SearchPageToken.ValidateMaxResults(request.MaxResults);
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

    /// <summary>
    /// Applies the change journals of the searched experiments and decides whether this search re-checks every cached
    /// file: when the last check is older than <see cref="SearchCacheRevalidationInterval"/> or a journal was replaced,
    /// unless every searched experiment is watched and its watcher vouches for the cache (a barrier proves that every
    /// earlier change was reported). Within the interval watched changes still drop their runs as their events arrive.
    /// </summary>
    private bool BeginSearchValidation(RunSearchCache cache, IEnumerable<ExperimentMeta> experiments, Dictionary<string, int> runFolders)
    {
        var now = _time.GetTimestamp();
        var validate = _lastFullValidation == long.MinValue || _time.GetElapsedTime(_lastFullValidation, now) >= SearchCacheRevalidationInterval;
        var journalReplaced = false;
        foreach (var experiment in experiments)
        {
            cache.Watch(experiment.Directory, runFolders[experiment.Directory], SearchCacheWatchThreshold);
            var changed = new List<string>();
            var position = cache.Journal(experiment.Directory);
            lock (position)
            {
                if (!ChangeJournal.TryReadSince(experiment.Directory, position, changed))
                {
                    journalReplaced = true;
                }
            }

            foreach (var runId in changed)
            {
                cache.Forget(Path.Combine(experiment.Directory, runId));
            }
        }

        if (validate && !journalReplaced && _lastFullValidation != long.MinValue && experiments.All(e => cache.IsCurrent(e.Directory)))
        {
            // Every change made before this search was reported by the watchers (their barriers passed): nothing to re-check.
            _lastFullValidation = now;
            return false;
        }

        validate |= journalReplaced;
        if (validate)
        {
            foreach (var experiment in experiments)
            {
                cache.FullCheckStarting(experiment.Directory);
            }

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
                if (entry.Read(directory, key, RunSearchCache.Kind.Metric, validate) is { Present: true } value)
                {
                    metrics[key] = value.Number;
                }
            }

            var parameters = new Dictionary<string, string>(query.ParamKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.ParamKeys)
            {
                if (entry.Read(directory, key, RunSearchCache.Kind.Param, validate) is { Present: true } value)
                {
                    parameters[key] = value.Text!;
                }
            }

            var tags = new Dictionary<string, string>(query.TagKeys.Count, StringComparer.Ordinal);
            foreach (var key in query.TagKeys)
            {
                if (entry.Read(directory, key, RunSearchCache.Kind.Tag, validate) is { Present: true } value)
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
}
