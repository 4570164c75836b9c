namespace MlWorkflow.Benchmarks.Harness;

/// <summary>A whole-workload benchmark run by name: <c>dotnet run -c Release --project benchmarks/MlWorkflow.Benchmarks -- NAME</c>.</summary>
internal interface IBenchmarkSuite
{
    /// <summary>The suite name given on the command line (<c>tracking</c>, <c>data</c>, …).</summary>
    string Name { get; }

    /// <summary>One line saying what the suite measures.</summary>
    string Description { get; }

    /// <summary>Runs the workload and records its figures.</summary>
    Task RunAsync(FigureReport report, CancellationToken cancellationToken);
}
