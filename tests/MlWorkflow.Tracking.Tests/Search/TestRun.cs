using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

/// <summary>Builds in-memory runs from the entity records for search tests.</summary>
internal sealed class TestRun
{
    private readonly List<Metric> metrics = [];
    private readonly List<Param> parameters = [];
    private readonly List<RunTag> tags = [];
    private readonly List<DatasetInput> inputs = [];

    public TestRun(string runId, long startTime = 1_700_000_000_000)
    {
        RunId = runId;
        StartTime = startTime;
    }

    public string RunId { get; }

    public long StartTime { get; init; }

    public long? EndTime { get; init; }

    public string RunName { get; init; } = "run";

    public RunStatus Status { get; init; } = RunStatus.Finished;

    public string UserId { get; init; } = "alice";

    public TestRun Metric(string key, double value)
    {
        metrics.Add(new Metric(key, value, 1_700_000_000_000, 0));
        return this;
    }

    public TestRun Param(string key, string value)
    {
        parameters.Add(new Param(key, value));
        return this;
    }

    public TestRun Tag(string key, string value)
    {
        tags.Add(new RunTag(key, value));
        return this;
    }

    public TestRun Dataset(string name, string digest, string? context = null)
    {
        var inputTags = context is null ? Array.Empty<InputTag>() : [new InputTag("mlflow.data.context", context)];
        inputs.Add(new DatasetInput(new Dataset(name, digest, "local", "{\"uri\": \"/data/x.csv\"}"), inputTags));
        return this;
    }

    public RunSearchView Build()
    {
        var info = new RunInfo(
            RunId, "1", RunName, UserId, Status, StartTime, EndTime, $"file:///mlruns/1/{RunId}/artifacts", LifecycleStage.Active);
        return new RunSearchView(new Run(info, new RunData(metrics, parameters, tags), new RunInputs(inputs)));
    }
}
