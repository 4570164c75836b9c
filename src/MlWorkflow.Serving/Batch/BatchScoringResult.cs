namespace MlWorkflow.Serving.Batch;

/// <summary>What a finished batch scoring wrote.</summary>
/// <param name="Rows">The rows scored and written.</param>
/// <param name="Columns">The output's columns, in order (a vector column counted once, such as <c>probabilities</c>).</param>
/// <param name="OutputPath">The full path of the file written.</param>
/// <param name="Elapsed">The time from opening the input to the output file in place.</param>
public sealed record BatchScoringResult(long Rows, IReadOnlyList<string> Columns, string OutputPath, TimeSpan Elapsed);
