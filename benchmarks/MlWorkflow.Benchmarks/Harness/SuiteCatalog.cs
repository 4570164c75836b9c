namespace MlWorkflow.Benchmarks.Harness;

/// <summary>Every whole-workload suite, by name. Add a suite here when an issue brings one.</summary>
internal static class SuiteCatalog
{
    public static IReadOnlyList<IBenchmarkSuite> All { get; } =
    [
        new EnvironmentSuite(),
        new CompositeSuite(
            "tracking",
            "issue 3's figures: ActiveRun logging throughput, then the 10,000-run store build and searches",
            new Logging.ActiveRunLoggingSuite(),
            new Tracking.FileStoreSuite()),
        new Tracking.FileStoreSuite(),
        new Sql.SqlStoreSuite(),
        new MlWorkflow.Benchmarks.Data.DataSuite(),
        new MlWorkflow.Benchmarks.Data.DataSuite(parquetOnly: true),
        new Logging.ActiveRunLoggingSuite(),
        new Workflow.WorkflowOverheadSuite(),
        new Workflow.WorkflowPartsSuite(),
        new Remote.RemoteSuite(),
        new Reliability.ReliabilitySuite(),
        new MlWorkflow.Benchmarks.Training.TrainerDefaultsSuite(),
        new MlWorkflow.Benchmarks.Training.ManyPassTrainerSuite(),
        new MlWorkflow.Benchmarks.Serving.ServingSuite(),
        new MlWorkflow.Benchmarks.Serving.ServingSuite(directOnly: true),
        new MlWorkflow.Benchmarks.Serving.ServingSuite(batchOnly: true),
        new MlWorkflow.Benchmarks.AutoMl.AutoMlSuite(),
        new MlWorkflow.Benchmarks.Ui.UiSuite(),
        new S3.S3ArtifactSuite(),
    ];
}
