namespace MlWorkflow.Data.Delta;

/// <summary>A Delta table's state at one version: its schema, partition columns and live data files.</summary>
internal sealed record DeltaSnapshot(
    long Version,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyList<DeltaDataFile> Files);
