using Amazon.S3.Model;

namespace MlWorkflow.Tracking.S3;

/// <summary>The body of a GetObject answer, read as it arrives (never buffered whole); disposing it closes the connection's response, returns the client's lease and reports the bytes read.</summary>
internal sealed class S3ReadStream(GetObjectResponse response, IDisposable lease, Action<long> closed) : Stream
{
    private readonly Stream _body = response.ResponseStream;
    private readonly long? _length = response.ContentLength;
    private long _position;
    private int _disposed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>The object's size, from the answer's Content-Length.</summary>
    public override long Length => _length ?? throw new NotSupportedException("The S3 answer had no Content-Length.");

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _body.Read(buffer, offset, count);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _body.Dispose();
                response.Dispose();
                lease.Dispose();
                closed(_position);
            }
        }

        base.Dispose(disposing);
    }
}
