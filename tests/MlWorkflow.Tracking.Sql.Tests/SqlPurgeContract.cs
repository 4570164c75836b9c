using Microsoft.Data.Sqlite;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests;

/// <summary>Garbage collection's store side (<c>mlw gc</c>): a deleted run or experiment loses every row; an active one is refused, untouched.</summary>
public abstract class SqlPurgeContract
{
    private TemporaryDirectory _directory = null!;

    protected string Root => _directory.Path;

    protected abstract string CreateDatabaseUri();

    [SetUp]
    public void CreateDirectory() => _directory = new TemporaryDirectory();

    [TearDown]
    public void DeleteDirectory()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Test]
    public async Task Deleted_runs_and_experiments_are_purged_with_their_rows_and_active_ones_are_refused()
    {
        var uri = CreateDatabaseUri();
        var store = new SqlTrackingStore(uri, new SqlStoreOptions { DefaultArtifactRoot = Root });
        var database = new SqlDatabase(uri, null, null);
        var keep = await store.CreateExperimentAsync("keep");
        var doomed = await store.CreateExperimentAsync("doomed", tags: [new ExperimentTag("owner", "me")]);
        var shared = new Dataset("d", "1", "local", "{}");
        async Task<string> RunAsync(string experimentId, params Dataset[] extra)
        {
            var run = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId })).Info.RunId;
            await store.LogBatchAsync(run, [new Metric("m", 1, 1, 0), new Metric("m", 2, 2, 1), new Metric("n", 3, 1, 0)], [new Param("p", "1"), new Param("q", "2")], [new RunTag("t", "x")]);
            await store.LogInputsAsync(run, [.. new[] { shared }.Concat(extra).Select(d => new DatasetInput(d, [new InputTag("mlflow.data.context", "train"), new InputTag("note", d.Name)]))]);
            return run;
        }

        var kept = await RunAsync(keep);
        var deleted = await RunAsync(keep, new Dataset("only-deleted", "2", "local", "{}"));
        var inDoomed = await RunAsync(doomed);
        await store.DeleteRunAsync(deleted);
        await store.DeleteExperimentAsync(doomed);
        var keptBefore = await RowsOfRunAsync(database, kept);
        var deletedBefore = await RowsOfRunAsync(database, deleted);
        var inDoomedBefore = await RowsOfRunAsync(database, inDoomed);
        var keepDatasetsBefore = await CountAsync(database, $"SELECT COUNT(*) FROM datasets WHERE experiment_id = {keep}");

        var refusedRun = await Assert.ThrowsAsync<MlflowException>(() => store.PurgeRunAsync(kept));
        var refusedExperiment = await Assert.ThrowsAsync<MlflowException>(() => store.PurgeExperimentAsync(keep));
        Assert.That(await store.GetDeletedRunsAsync(null), Has.Count.EqualTo(2));
        Assert.That(await store.GetDeletedRunsAsync(DateTimeOffset.UtcNow.AddDays(-1)), Is.Empty, "deleted just now: not older than a day");
        Assert.That(await RowsOfRunAsync(database, kept), Is.EqualTo(keptBefore), "a refused purge deletes nothing");

        await store.PurgeRunAsync(deleted);
        var keptAfterRunPurge = await RowsOfRunAsync(database, kept);
        var inDoomedAfterRunPurge = await RowsOfRunAsync(database, inDoomed);
        await store.PurgeExperimentAsync(doomed);

        // Every count is of real rows: two metric points of m and one of n, two latest metrics, two params, two tags (t and mlflow.runName), and per dataset input one inputs row, two input tags and its dataset.
        Assert.That(keptBefore, Is.EqualTo(RunRows(inputs: 1)));
        Assert.That(deletedBefore, Is.EqualTo(RunRows(inputs: 2)));
        Assert.That(inDoomedBefore, Is.EqualTo(RunRows(inputs: 1)));
        Assert.That(keepDatasetsBefore, Is.EqualTo(2L), "d, shared by both runs of keep, and only-deleted");
        Assert.That(await RowsOfRunAsync(database, deleted), Is.EqualTo(RunRows(0, 0, datasets: 2)), "the purged run's rows, its inputs' tags included, are gone; its experiment's datasets stay");
        Assert.That(keptAfterRunPurge, Is.EqualTo(keptBefore), "another run's rows stay, and the dataset it still uses");
        Assert.That(inDoomedAfterRunPurge, Is.EqualTo(inDoomedBefore), "a run of another (deleted, not yet purged) experiment is untouched");
        Assert.That(await CountAsync(database, $"SELECT COUNT(*) FROM datasets WHERE experiment_id = {keep}"), Is.EqualTo(2L), "datasets belong to the experiment (as in MLflow): a run's purge keeps them, the one another run uses too");
        Assert.That(await RowsOfRunAsync(database, inDoomed), Is.EqualTo(RunRows(0, 0)), "the purged experiment's run loses every row");
        Assert.That(await RowsOfRunAsync(database, kept), Is.EqualTo(keptBefore), "the kept experiment's run survives the other experiment's purge");
        Assert.That(
            await CountAsync(database, $"SELECT (SELECT COUNT(*) FROM datasets WHERE experiment_id = {doomed}) + (SELECT COUNT(*) FROM experiment_tags WHERE experiment_id = {doomed}) + (SELECT COUNT(*) FROM experiments WHERE experiment_id = {doomed}) + (SELECT COUNT(*) FROM runs WHERE experiment_id = {doomed})"),
            Is.EqualTo(0L),
            "the purged experiment's datasets, tags, runs and row are gone");
        Assert.That(await OrphansAsync(database), Is.EqualTo(0L), "no row is left pointing at a purged run, input, dataset or experiment");

        Assert.That(refusedRun!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(refusedExperiment!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync(deleted)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync(inDoomed)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync(doomed)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await store.GetDeletedRunsAsync(null), Is.Empty);
        var survivor = await store.GetRunAsync(kept);
        Assert.That((survivor.Data.GetMetric("m")!.Value, survivor.Data.Params.Count, survivor.Inputs.DatasetInputs.Single().Dataset.Name), Is.EqualTo((2.0, 2, "d")));
        Assert.That(survivor.Inputs.DatasetInputs.Single().Tags.Select(t => t.Value).Order(StringComparer.Ordinal), Is.EqualTo(new[] { "d", "train" }));
    }

    /// <summary>The rows a run has, table by table, as <see cref="RowsOfRunAsync"/> counts them, for a run logged as the test logs one.</summary>
    private static string RunRows(int inputs, int runs = 1, int? datasets = null) =>
        $"runs={runs} tags={2 * runs} params={2 * runs} metrics={3 * runs} latest_metrics={2 * runs} inputs={inputs} input_tags={2 * inputs} datasets={datasets ?? inputs}";

    /// <summary>
    /// A run's rows in each table, read straight from the database. The run's input and dataset ids are kept from the first
    /// count, so that input tags and datasets left behind by a purge (whose inputs rows are gone) are still counted.
    /// </summary>
    private async Task<string> RowsOfRunAsync(SqlDatabase database, string runId)
    {
        if (!_inputsOfRun.TryGetValue(runId, out var ids))
        {
            ids = (await ListAsync(database, $"SELECT input_uuid FROM inputs WHERE destination_type = 'RUN' AND destination_id = '{runId}'"),
                await ListAsync(database, $"SELECT source_id FROM inputs WHERE destination_type = 'RUN' AND destination_id = '{runId}' AND source_type = 'DATASET'"));
            _inputsOfRun[runId] = ids;
        }

        var inputList = ids.Inputs.Count == 0 ? "''" : string.Join(", ", ids.Inputs.Select(i => $"'{i}'"));
        var datasetList = ids.Datasets.Count == 0 ? "''" : string.Join(", ", ids.Datasets.Select(i => $"'{i}'"));
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "runs", "tags", "params", "metrics", "latest_metrics" })
        {
            counts[table] = await CountAsync(database, $"SELECT COUNT(*) FROM {table} WHERE run_uuid = '{runId}'");
        }

        counts["inputs"] = await CountAsync(database, $"SELECT COUNT(*) FROM inputs WHERE destination_type = 'RUN' AND destination_id = '{runId}'");
        counts["input_tags"] = await CountAsync(database, $"SELECT COUNT(*) FROM input_tags WHERE input_uuid IN ({inputList})");
        counts["datasets"] = await CountAsync(database, $"SELECT COUNT(*) FROM datasets WHERE dataset_uuid IN ({datasetList})");
        return string.Join(" ", counts.Select(c => $"{c.Key}={c.Value}"));
    }

    /// <summary>Rows that point at a run, input, dataset or experiment that no longer exists (MLflow's schema has no foreign key on inputs or input_tags).</summary>
    private static Task<long> OrphansAsync(SqlDatabase database) => CountAsync(
        database,
        """
        SELECT (SELECT COUNT(*) FROM tags WHERE run_uuid NOT IN (SELECT run_uuid FROM runs))
             + (SELECT COUNT(*) FROM params WHERE run_uuid NOT IN (SELECT run_uuid FROM runs))
             + (SELECT COUNT(*) FROM metrics WHERE run_uuid NOT IN (SELECT run_uuid FROM runs))
             + (SELECT COUNT(*) FROM latest_metrics WHERE run_uuid NOT IN (SELECT run_uuid FROM runs))
             + (SELECT COUNT(*) FROM inputs WHERE destination_type = 'RUN' AND destination_id NOT IN (SELECT run_uuid FROM runs))
             + (SELECT COUNT(*) FROM inputs WHERE source_type = 'DATASET' AND source_id NOT IN (SELECT dataset_uuid FROM datasets))
             + (SELECT COUNT(*) FROM input_tags WHERE input_uuid NOT IN (SELECT input_uuid FROM inputs))
             + (SELECT COUNT(*) FROM datasets WHERE experiment_id NOT IN (SELECT experiment_id FROM experiments))
             + (SELECT COUNT(*) FROM experiment_tags WHERE experiment_id NOT IN (SELECT experiment_id FROM experiments))
             + (SELECT COUNT(*) FROM runs WHERE experiment_id NOT IN (SELECT experiment_id FROM experiments))
        """);

    private readonly Dictionary<string, (List<string> Inputs, List<string> Datasets)> _inputsOfRun = new(StringComparer.Ordinal);

    private static Task<long> CountAsync(SqlDatabase database, string sql) => database.ReadAsync(
        async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        },
        CancellationToken.None);

    private static Task<List<string>> ListAsync(SqlDatabase database, string sql) => database.ReadAsync(
        async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            var values = new List<string>();
            while (await reader.ReadAsync())
            {
                values.Add(reader.GetString(0));
            }

            return values;
        },
        CancellationToken.None);
}
