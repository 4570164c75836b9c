namespace MlWorkflow.Data.Delta;
internal sealed class DeltaDataSource(string path, long? version, DateTimeOffset? asOf, ColumnarReadOptions options) : IDataSource
{
    public string Name => path;
    public Task<Microsoft.ML.IDataView> LoadAsync(Microsoft.ML.MLContext mlContext, CancellationToken cancellationToken = default) => throw new NotImplementedException(version + " " + asOf + options);
    public Task<DatasetDescription> DescribeAsync(Microsoft.ML.MLContext mlContext, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
