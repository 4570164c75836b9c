using Apache.Arrow;
using Apache.Arrow.Ipc;
using MlWorkflow.Data.Columnar;

namespace MlWorkflow.Data.Arrow;

/// <summary>Fills a cursor's buffers from each record batch in turn.</summary>
internal sealed class ArrowBatchReader(
    ArrowStreamReader reader,
    string label,
    IReadOnlyList<ArrowColumnPlan> plans,
    IReadOnlyList<ColumnBuffer?> buffers,
    MissingValuePolicy policy) : IBatchReader
{
    private static readonly byte[] FileMagic = "ARROW1"u8.ToArray();
    private int _batch = -1;

    /// <summary>Opens the file format when the stream starts with <c>ARROW1</c>, else the stream format.</summary>
    public static ArrowStreamReader OpenReader(Stream stream, string label)
    {
        try
        {
            var head = new byte[6];
            var read = stream.ReadAtLeast(head, 6, throwOnEndOfStream: false);
            stream.Position = 0;
            return read == 6 && head.AsSpan().SequenceEqual(FileMagic) ? new ArrowFileReader(stream) : new ArrowStreamReader(stream);
        }
        catch (Exception e)
        {
            stream.Dispose();
            throw new DataSourceException($"Cannot open Arrow data: {e.Message}", label, innerException: e);
        }
    }

    public int ReadNextBatch()
    {
        while (true)
        {
            RecordBatch? batch;
            _batch++;
            try
            {
                batch = reader.ReadNextRecordBatch();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var hint = e.Message.Contains("compress", StringComparison.OrdinalIgnoreCase) ? " (compressed IPC bodies need a codec this reader does not include)" : string.Empty;
                throw new DataSourceException($"Cannot read Arrow record batch{hint}: {e.Message}", label, rowGroup: _batch, innerException: e);
            }

            if (batch is null)
            {
                return 0;
            }

            using (batch)
            {
                if (batch.Length == 0)
                {
                    continue;
                }

                for (var i = 0; i < plans.Count; i++)
                {
                    if (buffers[i] is not { } buffer)
                    {
                        continue;
                    }

                    var plan = plans[i];
                    try
                    {
                        plan.Fill(batch.Column(plan.FieldIndex), buffer, batch.Length, row =>
                        {
                            if (policy == MissingValuePolicy.Fail)
                            {
                                throw new DataSourceException("A null value was found and MissingValues is Fail", label, row, _batch, plan.Spec.Name);
                            }
                        });
                    }
                    catch (Exception e) when (e is not DataSourceException)
                    {
                        throw new DataSourceException($"Cannot read Arrow column: {e.Message}", label, rowGroup: _batch, column: plan.Spec.Name, innerException: e);
                    }
                }

                return batch.Length;
            }
        }
    }

    public void Dispose() => reader.Dispose();
}
