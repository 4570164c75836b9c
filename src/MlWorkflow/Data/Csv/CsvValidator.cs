using System.Buffers;
using System.Text;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Csv;

/// <summary>Checks a whole CSV file before it is handed to ML.NET's loader, on raw bytes with vectorised searches: the number of
/// fields per row, closed quotes, and that numeric and boolean fields hold what their column's type can parse.</summary>
internal sealed class CsvValidator
{
    private static readonly SearchValues<byte> IntegerBytes = SearchValues.Create("0123456789+- "u8);
    private static readonly SearchValues<byte> RealBytes = SearchValues.Create("0123456789+-.eE "u8);

    private readonly string _path;
    private readonly CsvColumn[] _columns;
    private readonly DataKind _realType;
    private readonly byte _separator;
    private readonly SearchValues<byte> _fieldEnds;
    private long _line = 1;
    private bool _header;

    private CsvValidator(string path, IReadOnlyList<CsvColumn> columns, CsvOptions options)
    {
        _path = path;
        _columns = [.. columns];
        _realType = options.RealType;
        _separator = checked((byte)options.Separator);
        _fieldEnds = SearchValues.Create([_separator, (byte)'\r', (byte)'\n']);
        _header = options.HasHeader;
    }

    /// <summary>Whether a quoted field holds a line break (the loader must then read multi-line records).</summary>
    public bool HasMultilineFields { get; private set; }

    /// <summary>The columns with their final kinds: an inferred integer column that holds a missing value or a fraction past the
    /// sample becomes the real type, an inferred boolean column that holds other text becomes text.</summary>
    public IReadOnlyList<CsvColumn> Columns => _columns;

    /// <summary>The number of data rows.</summary>
    public long Rows { get; private set; }

    public static async Task<CsvValidator> ValidateAsync(string path, IReadOnlyList<CsvColumn> columns, CsvOptions options, CancellationToken cancellationToken)
    {
        if (options.Separator > 127)
        {
            throw new ArgumentException("The separator must be an ASCII character.", nameof(options));
        }

        var validator = new CsvValidator(path, columns, options);
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var filled = 0;
        var start = 0;
        var first = true;
        while (true)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                filled -= start;
                start = 0;
            }
            else if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            filled += read;
            var end = read == 0;
            if (first && filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3;
            }

            first = false;
            start += validator.ProcessRecords(buffer.AsSpan(start, filled - start), end);
            if (end)
            {
                return validator;
            }
        }
    }

    /// <summary>Validates the complete records at the start of <paramref name="data"/> and returns the bytes consumed.</summary>
    private int ProcessRecords(ReadOnlySpan<byte> data, bool end)
    {
        var consumed = 0;
        while (consumed < data.Length)
        {
            var used = ProcessRecord(data[consumed..], end);
            if (used == 0)
            {
                break;
            }

            consumed += used;
        }

        return consumed;
    }

    private int ProcessRecord(ReadOnlySpan<byte> s, bool end)
    {
        if (s[0] == '\n' || s[0] == '\r')
        {
            if (s[0] == '\r' && s.Length == 1 && !end)
            {
                return 0;
            }

            _line++;
            return s[0] == '\r' && s.Length > 1 && s[1] == '\n' ? 2 : 1;
        }

        var pos = 0;
        var field = 0;
        var extraLines = 0;
        while (true)
        {
            ReadOnlySpan<byte> content;
            if (pos < s.Length && s[pos] == '"')
            {
                var p = pos + 1;
                while (true)
                {
                    var q = p < s.Length ? s[p..].IndexOf((byte)'"') : -1;
                    if (q < 0)
                    {
                        return end ? throw Error("A quoted field is not closed before the end of the file", field) : 0;
                    }

                    p += q;
                    if (p + 1 >= s.Length && !end)
                    {
                        return 0;
                    }

                    if (p + 1 < s.Length && s[p + 1] == '"')
                    {
                        p += 2;
                        continue;
                    }

                    break;
                }

                content = s[(pos + 1)..p];
                var breaks = content.Count((byte)'\n');
                if (breaks > 0 || content.Contains((byte)'\r'))
                {
                    HasMultilineFields = true;
                    extraLines += breaks;
                }

                pos = p + 1;
            }
            else
            {
                var e = s[pos..].IndexOfAny(_fieldEnds);
                if (e < 0)
                {
                    if (!end)
                    {
                        return 0;
                    }

                    e = s.Length - pos;
                }

                content = s.Slice(pos, e);
                pos += e;
            }

            if (!_header)
            {
                CheckField(field, content);
            }

            field++;
            var recordEnd = false;
            if (pos >= s.Length)
            {
                if (!end)
                {
                    return 0;
                }

                recordEnd = true;
            }
            else if (s[pos] == _separator)
            {
                pos++;
                if (pos >= s.Length && !end)
                {
                    return 0;
                }
            }
            else if (s[pos] == '\n')
            {
                pos++;
                recordEnd = true;
            }
            else if (s[pos] == '\r')
            {
                if (pos + 1 >= s.Length && !end)
                {
                    return 0;
                }

                pos += pos + 1 < s.Length && s[pos + 1] == '\n' ? 2 : 1;
                recordEnd = true;
            }
            else
            {
                throw Error("A character follows the closing quote of a field", field - 1);
            }

            if (recordEnd)
            {
                if (field != _columns.Length)
                {
                    throw Error($"The row has {field} fields but the header has {_columns.Length}", null);
                }

                if (!_header)
                {
                    Rows++;
                }

                _header = false;
                _line += 1 + extraLines;
                return pos;
            }
        }
    }

    private void CheckField(int field, ReadOnlySpan<byte> content)
    {
        if (field >= _columns.Length)
        {
            return;
        }

        var column = _columns[field];
        var kind = column.Kind;
        if (column.Inferred && IsInteger(kind) && (content.IsEmpty || content.IndexOfAnyExcept(IntegerBytes) >= 0))
        {
            _columns[field] = column with { Kind = kind = _realType };
        }
        else if (column.Inferred && kind == DataKind.Boolean && !content.IsEmpty && !bool.TryParse(Encoding.UTF8.GetString(content), out _))
        {
            _columns[field] = column with { Kind = kind = DataKind.String };
        }

        switch (kind)
        {
            case DataKind.Single or DataKind.Double:
                if (content.IndexOfAnyExcept(RealBytes) >= 0 && !IsSpecialReal(content))
                {
                    throw Error($"'{Text(content)}' is not a number, but the column is {kind}", field);
                }

                break;
            case DataKind.SByte or DataKind.Byte or DataKind.Int16 or DataKind.UInt16 or DataKind.Int32 or DataKind.UInt32 or DataKind.Int64 or DataKind.UInt64:
                if (content.IsEmpty)
                {
                    throw Error($"The value is missing, but the column is {kind}, which has no missing value; give the column a real type in CsvOptions.ColumnTypes", field);
                }

                if (content.IndexOfAnyExcept(IntegerBytes) >= 0)
                {
                    throw Error($"'{Text(content)}' is not an integer, but the column is {kind}", field);
                }

                break;
            case DataKind.Boolean:
                if (!content.IsEmpty && !bool.TryParse(Encoding.UTF8.GetString(content), out _) && !content.SequenceEqual("0"u8) && !content.SequenceEqual("1"u8))
                {
                    throw Error($"'{Text(content)}' is not a boolean, but the column is {kind}", field);
                }

                break;
        }
    }

    private static bool IsInteger(DataKind kind) =>
        kind is DataKind.SByte or DataKind.Byte or DataKind.Int16 or DataKind.UInt16 or DataKind.Int32 or DataKind.UInt32 or DataKind.Int64 or DataKind.UInt64;

    private static bool IsSpecialReal(ReadOnlySpan<byte> content)
    {
        var text = Encoding.UTF8.GetString(content).Trim();
        return text is "NaN" or "Infinity" or "-Infinity" or "+Infinity" or "inf" or "-inf" or "∞" or "-∞";
    }

    private static string Text(ReadOnlySpan<byte> content) =>
        content.Length > 40 ? Encoding.UTF8.GetString(content[..40]) + "…" : Encoding.UTF8.GetString(content);

    private DataSourceException Error(string message, int? field) =>
        new(message, _path, _line, column: field is { } f && f < _columns.Length ? _columns[f].Name : null);
}
