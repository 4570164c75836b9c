using Microsoft.ML;
using MlWorkflow.Data.Describing;

namespace MlWorkflow.Data.Objects;

/// <summary>An existing view, passed through unchanged.</summary>
internal sealed class DataViewDataSource(IDataView view, string name) : IDataSource
{
    public string Name => name;

    public Task<IDataView> LoadAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(view);
    }

    public Task<DatasetDescription> DescribeAsync(MLContext mlContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return Task.FromResult(DatasetDescriber.DescribeValues(name, view, cancellationToken));
    }
}
