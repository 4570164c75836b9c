namespace MlWorkflow.Benchmarks.Harness;

/// <summary>Runs several suites one after the other into one report, under one name (an issue's suite made of parts).</summary>
internal sealed class CompositeSuite(string name, string description, params IBenchmarkSuite[] parts) : IBenchmarkSuite
{
    public string Name => name;

    public string Description => description;

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        foreach (var part in parts)
        {
            FigureReport.Note($"part {part.Name}: {part.Description}");
            await part.RunAsync(report, cancellationToken);
        }
    }
}
