namespace MlWorkflow.Data.Delta;

/// <summary>A live data file of a snapshot: its decoded full path, partition values (null = null value), size and record count if known.</summary>
internal sealed record DeltaDataFile(string FullPath, string RelativePath, IReadOnlyDictionary<string, string?> PartitionValues, long Size, long? NumRecords);
