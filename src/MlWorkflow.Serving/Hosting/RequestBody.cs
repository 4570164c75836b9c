using System.Buffers;

namespace MlWorkflow.Serving.Hosting;

/// <summary>A request body read into memory, in an array rented from the shared pool when its length was known; disposing returns it.</summary>
internal readonly struct RequestBody(byte[] array, int length, bool pooled) : IDisposable
{
    public ReadOnlyMemory<byte> Memory { get; } = array.AsMemory(0, length);

    public void Dispose()
    {
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
