using MlWorkflow.Tracking;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>No key, id or name a caller passes reaches a file outside the store root.</summary>
public class FileStoreRootEscapeTests : TempStoreFixture
{
    private static readonly string[] BadKeys = ["../escape", "../../escape", "a/../../escape", "/etc/escape", "C:\\escape", "..\\escape", "nul\0", "a//b", "./a", ""];
    private static readonly string[] BadIds = ["..", "../x", "/tmp", "a/b", "a\\b", "C:", ".trash", "x\0"];

    [Test]
    public async Task Bad_keys_are_rejected_before_anything_is_written()
    {
        var store = OpenStore();
        var runId = (await store.CreateRunAsync(new CreateRunRequest())).Info.RunId;
        var experimentId = await store.CreateExperimentAsync("e");
        var before = Snapshot();

        foreach (var key in BadKeys)
        {
            foreach (var write in new Func<Task>[]
            {
                () => store.LogBatchAsync(runId, [new Metric(key, 1, 0)], [], []),
                () => store.LogBatchAsync(runId, [], [new Param(key, "v")], []),
                () => store.LogBatchAsync(runId, [], [], [new RunTag(key, "v")]),
                () => store.DeleteTagAsync(runId, key),
                () => store.SetExperimentTagAsync(experimentId, new ExperimentTag(key, "v")),
                () => store.GetMetricHistoryAsync(runId, key),
            })
            {
                var error = await Assert.ThrowsAsync<MlflowException>(() => write());
                Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue), $"key '{key}'");
            }
        }

        Assert.That(Snapshot(), Is.EqualTo(before));
        Assert.That(Directory.GetFileSystemEntries(TempDirectory), Is.EqualTo(new[] { Root }));
    }

    [Test]
    public async Task Bad_ids_are_rejected()
    {
        var store = OpenStore();
        foreach (var id in BadIds)
        {
            foreach (var call in new Func<Task>[]
            {
                () => store.GetRunAsync(id),
                () => store.DeleteRunAsync(id),
                () => store.GetExperimentAsync(id),
                () => store.DeleteExperimentAsync(id),
                () => store.CreateRunAsync(new CreateRunRequest { ExperimentId = id }),
                () => store.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = [id] }),
            })
            {
                var error = await Assert.ThrowsAsync<MlflowException>(() => call());
                Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue), $"id '{id}'");
            }
        }
    }

    [Test]
    public async Task Reserved_folder_names_are_not_runs()
    {
        var store = OpenStore();
        await store.CreateExperimentAsync("e", tags: [new ExperimentTag("t", "v")]);
        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetRunAsync("tags"));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }

    private string[] Snapshot() =>
        Directory.GetFileSystemEntries(Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
}
