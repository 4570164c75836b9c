namespace MlWorkflow.Data.Columnar;

/// <summary>Fills a cursor's column buffers with the next batch.</summary>
internal interface IBatchReader : IDisposable
{
    /// <summary>Reads the next non-empty batch into the buffers and returns its row count; 0 at the end.</summary>
    int ReadNextBatch();
}
