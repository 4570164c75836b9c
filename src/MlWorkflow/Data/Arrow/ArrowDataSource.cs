namespace MlWorkflow.Data.Arrow;
internal sealed class ArrowDataSource(string path, Stream? stream, ColumnarReadOptions options) : IDataSource
{
    public string Name => path;
    public Task<Microsoft.ML.IDataView> LoadAsync(Microsoft.ML.MLContext mlContext, CancellationToken cancellationToken = default) => throw new NotImplementedException(stream?.ToString() + options);
    public Task<DatasetDescription> DescribeAsync(Microsoft.ML.MLContext mlContext, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
