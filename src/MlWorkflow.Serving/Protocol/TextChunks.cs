using System.Buffers;
using System.Text.Unicode;

namespace MlWorkflow.Serving.Protocol;

/// <summary>A request's string values decoded into a few shared character arrays instead of one string each: each value is a slice of one.</summary>
internal sealed class TextChunks
{
    private const int ChunkLength = 2048;
    private char[] _chunk = [];
    private int _used;

    /// <summary>Decodes a string's UTF-8 bytes (no escapes) and returns them as a slice; false for invalid UTF-8, which JSON does not allow.</summary>
    public bool TryAdd(ReadOnlySpan<byte> utf8, out ReadOnlyMemory<char> slice)
    {
        // UTF-8 never decodes to more UTF-16 characters than it has bytes.
        if (_chunk.Length - _used < utf8.Length)
        {
            _chunk = new char[Math.Max(ChunkLength, utf8.Length)];
            _used = 0;
        }

        if (Utf8.ToUtf16(utf8, _chunk.AsSpan(_used), out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done)
        {
            slice = default;
            return false;
        }

        slice = new ReadOnlyMemory<char>(_chunk, _used, written);
        _used += written;
        return true;
    }
}
