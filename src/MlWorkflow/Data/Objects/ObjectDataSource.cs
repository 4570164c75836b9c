using Microsoft.ML;
using MlWorkflow.Data.Describing;

namespace MlWorkflow.Data.Objects;

/// <summary>In-memory objects as a view, through ML.NET's own <c>LoadFromEnumerable</c> (public properties and fields become columns).</summary>
internal sealed class ObjectDataSource<T>(IEnumerable<T> items, string name) : IDataSource
    where T : class
{
    public string Name => name;

    public Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return Task.FromResult(mlContext.Data.LoadFromEnumerable(items));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new DataSourceException($"Type {typeof(T).Name} cannot be a data view: {e.Message}", e);
        }
    }

    public async Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        var view = await LoadAsync(mlContext, cancellationToken).ConfigureAwait(false);
        return DatasetDescriber.DescribeValues(name, view, cancellationToken);
    }
}
