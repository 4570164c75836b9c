namespace MlWorkflow.Data.Parquet;

/// <summary>One Parquet file of a source, with the values of columns that are constant for the whole file (Delta partition columns;
/// a null value is a missing value).</summary>
internal sealed record ParquetPart(string Path, IReadOnlyDictionary<string, object?>? Constants = null);
