namespace MlWorkflow.CodeGeneration;

/// <summary>The format of the data file generated code reads, through the matching <c>DataSource</c> call.</summary>
public enum DataFileFormat
{
    /// <summary>A CSV file (<c>DataSource.Csv</c>, default options).</summary>
    Csv,

    /// <summary>A Parquet file, folder or glob (<c>DataSource.Parquet</c>).</summary>
    Parquet,

    /// <summary>An Arrow IPC file (<c>DataSource.Arrow</c>).</summary>
    Arrow,
}
