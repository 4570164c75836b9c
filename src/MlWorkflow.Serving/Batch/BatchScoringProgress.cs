namespace MlWorkflow.Serving.Batch;

/// <summary>How far a batch scoring has come, as <see cref="BatchScoring"/> reports it.</summary>
/// <param name="Rows">The rows scored so far.</param>
/// <param name="TotalRows">The rows in the input, when the source knows them without reading them all (Parquet); otherwise null.</param>
/// <param name="Elapsed">The time since scoring started.</param>
public sealed record BatchScoringProgress(long Rows, long? TotalRows, TimeSpan Elapsed);
