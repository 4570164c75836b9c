namespace MlWorkflow.Benchmarks.Harness;

/// <summary>A suite that takes arguments after its name (<c>automl --budget 10 --data diamonds</c>).</summary>
internal interface IConfigurableSuite : IBenchmarkSuite
{
    /// <summary>Reads the arguments; returns what is wrong with them, or null when they are fine.</summary>
    string? Configure(IReadOnlyList<string> args);
}
