using Microsoft.ML;

namespace MlWorkflow.Data;

/// <summary>A data set that can be opened as an ML.NET <see cref="IDataView"/> and described for tracking.</summary>
/// <remarks>Create one with <see cref="DataSource"/>: <c>DataSource.Csv</c>, <c>Parquet</c>, <c>Arrow</c>, <c>Delta</c>,
/// <c>FromObjects</c> or <c>FromDataView</c>.</remarks>
public interface IDataSource
{
    /// <summary>A short dataset name: the file, folder or table name.</summary>
    string Name { get; }

    /// <summary>Opens and validates the source and returns a view whose rows stream lazily from the files.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <returns>The data view.</returns>
    /// <exception cref="DataSourceException">The source is missing, corrupt, or has a type that cannot be mapped.</exception>
    Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default);

    /// <summary>Describes the data set for tracking: name, digest, source, schema and row count.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The description.</returns>
    /// <exception cref="DataSourceException">The source cannot be read.</exception>
    Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default);
}
