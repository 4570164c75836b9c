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
        var store = new SqlTrackingStore(CreateDatabaseUri(), new SqlStoreOptions { DefaultArtifactRoot = Root });
        var keep = await store.CreateExperimentAsync("keep");
        var doomed = await store.CreateExperimentAsync("doomed");
        async Task<string> RunAsync(string experimentId)
        {
            var run = (await store.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId })).Info.RunId;
            await store.LogBatchAsync(run, [new Metric("m", 1, 1, 0)], [new Param("p", "1")], [new RunTag("t", "x")]);
            await store.LogInputsAsync(run, [new DatasetInput(new Dataset("d", "1", "local", "{}"), [new InputTag("mlflow.data.context", "train")])]);
            return run;
        }

        var kept = await RunAsync(keep);
        var deleted = await RunAsync(keep);
        var inDoomed = await RunAsync(doomed);
        await store.DeleteRunAsync(deleted);
        await store.DeleteExperimentAsync(doomed);

        var refusedRun = await Assert.ThrowsAsync<MlflowException>(() => store.PurgeRunAsync(kept));
        var refusedExperiment = await Assert.ThrowsAsync<MlflowException>(() => store.PurgeExperimentAsync(keep));
        Assert.That(await store.GetDeletedRunsAsync(null), Has.Count.EqualTo(2));
        Assert.That(await store.GetDeletedRunsAsync(DateTimeOffset.UtcNow.AddDays(-1)), Is.Empty, "deleted just now: not older than a day");

        await store.PurgeRunAsync(deleted);
        await store.PurgeExperimentAsync(doomed);

        Assert.That(refusedRun!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(refusedExperiment!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync(deleted)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync(inDoomed)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That((await Assert.ThrowsAsync<MlflowException>(() => store.GetExperimentAsync(doomed)))!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(await store.GetDeletedRunsAsync(null), Is.Empty);
        var survivor = await store.GetRunAsync(kept);
        Assert.That((survivor.Data.GetMetric("m")!.Value, survivor.Data.Params.Single().Value, survivor.Inputs.DatasetInputs.Single().Dataset.Name), Is.EqualTo((1.0, "1", "d")));
    }
}
