using System.Text.Json;

namespace MlWorkflow.Serving.Protocol;

/// <summary>A request's string values decoded into a few shared character arrays instead of one string each: each value is a slice of one.</summary>
internal sealed class TextChunks
{
    private const int ChunkLength = 4096;
    private char[] _chunk = [];
    private int _used;

    /// <summary>Decodes the reader's string token (unescaped, as <see cref="Utf8JsonReader.GetString"/> gives it) and returns it as a slice.</summary>
    public ReadOnlyMemory<char> Add(ref Utf8JsonReader reader)
    {
        // A UTF-8 value never decodes to more characters than it has bytes; an escaped one has at least as many bytes as characters too.
        var most = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (_chunk.Length - _used < most)
        {
            _chunk = new char[Math.Max(ChunkLength, most)];
            _used = 0;
        }

        var length = reader.CopyString(_chunk.AsSpan(_used));
        var slice = new ReadOnlyMemory<char>(_chunk, _used, length);
        _used += length;
        return slice;
    }
}
