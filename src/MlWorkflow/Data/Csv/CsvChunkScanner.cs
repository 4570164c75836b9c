using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.Win32.SafeHandles;

namespace MlWorkflow.Data.Csv;

/// <summary>Checks the records of one byte range of a CSV file that starts at a record boundary: field counts, closed quotes, and
/// that values fit their column's kind (widening inferred integer and boolean columns). Reads large blocks, classifies them with
/// <see cref="CsvByteClasses"/> and checks common numbers by bit masks alone; only unusual values are parsed.</summary>
internal sealed class CsvChunkScanner
{
    private const int BlockSize = 1 << 18;

    private readonly CsvColumn[] _columns;
    private readonly PlainCheck[] _plainChecks;
    private readonly DataKind _realType;
    private readonly byte _separator;
    private readonly int _maxFieldBytes;
    private bool _header;
    private long _line = 1;

    // Where the field that ran past the data starts, counted from its record's start, with its index and line: a record only grows
    // the buffer while that field stays within the limit.
    private int _openFieldOffset;
    private int _openField;
    private long _openFieldLine;

    public CsvChunkScanner(IReadOnlyList<CsvColumn> columns, DataKind realType, byte separator, bool header, int maxFieldBytes = CsvOptions.DefaultMaxFieldLength)
    {
        _columns = [.. columns];
        _plainChecks = [.. columns.Select(c => PlainCheckFor(c.Kind))];
        _realType = realType;
        _separator = separator;
        _header = header;
        _maxFieldBytes = maxFieldBytes;
    }

    /// <summary>The columns with the kinds this chunk widened them to.</summary>
    public IReadOnlyList<CsvColumn> Columns => _columns;

    /// <summary>The data rows in the chunk.</summary>
    public long Rows { get; private set; }

    /// <summary>The lines the chunk spans (line breaks inside quoted fields included).</summary>
    public long Lines => _line - 1;

    /// <summary>Whether a quoted field in the chunk holds a line break.</summary>
    public bool HasMultilineFields { get; private set; }

    /// <summary>Whether a real column had an empty field (the loader must then read empty reals as NaN, not 0).</summary>
    public bool HasMissingReals { get; private set; }

    /// <summary>The first malformed row, if any (the scan stops there).</summary>
    public CsvRowException? Error { get; private set; }

    /// <summary>Scans the bytes from <paramref name="begin"/> up to <paramref name="stop"/>, which is treated as the end of the file.</summary>
    public void Scan(SafeFileHandle file, long begin, long stop, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        var classes = ArrayPool<CsvByteClasses>.Shared.Rent(CsvByteClasses.EntriesFor(buffer.Length));
        try
        {
            var offset = begin;
            var filled = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (filled == buffer.Length)
                {
                    // One record is longer than the buffer: grow it, unless its open field is already past the limit.
                    if ((long)filled - _openFieldOffset > _maxFieldBytes)
                    {
                        throw FieldTooLong(_openFieldLine, _openField);
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                    ArrayPool<CsvByteClasses>.Shared.Return(classes);
                    classes = ArrayPool<CsvByteClasses>.Shared.Rent(CsvByteClasses.EntriesFor(buffer.Length));
                }

                var read = RandomAccess.Read(file, buffer.AsSpan(filled, (int)Math.Min(buffer.Length - filled, stop - offset)), offset);
                offset += read;
                filled += read;
                var end = read == 0 || offset >= stop;
                var data = buffer.AsSpan(0, filled);
                CsvByteClasses.Classify(data, classes, _separator);
                var consumed = ProcessRecords(data, classes, end);
                if (end)
                {
                    return;
                }

                data[consumed..].CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (CsvRowException error)
        {
            Error = error;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<CsvByteClasses>.Shared.Return(classes);
        }
    }

    /// <summary>Checks the complete records in <paramref name="s"/> and returns the bytes they take.</summary>
    private int ProcessRecords(ReadOnlySpan<byte> s, ReadOnlySpan<CsvByteClasses> classes, bool end)
    {
        var consumed = 0;
        while (consumed < s.Length)
        {
            var next = ProcessRecord(s, classes, consumed, end);
            if (next == consumed)
            {
                break;
            }

            consumed = next;
        }

        return consumed;
    }

    /// <summary>Checks the record at <paramref name="start"/> and returns where the next one starts, or <paramref name="start"/> when the
    /// record does not end within <paramref name="s"/> and more data follows.</summary>
    private int ProcessRecord(ReadOnlySpan<byte> s, ReadOnlySpan<CsvByteClasses> classes, int start, bool end)
    {
        if (s[start] == '\n' || s[start] == '\r')
        {
            if (s[start] == '\r' && start + 1 == s.Length && !end)
            {
                return Open(start, start, 0, 0);
            }

            _line++;
            return start + (s[start] == '\r' && start + 1 < s.Length && s[start + 1] == '\n' ? 2 : 1);
        }

        var pos = start;
        var field = 0;
        var extraLines = 0;
        while (true)
        {
            int contentStart;
            int contentEnd;
            if (pos < s.Length && s[pos] == '"')
            {
                var p = pos + 1;
                while (true)
                {
                    var q = p < s.Length ? s[p..].IndexOf((byte)'"') : -1;
                    if (q < 0)
                    {
                        return end ? throw new CsvRowException("A quoted field is not closed before the end of the file", _line, ColumnName(field), true) : Open(start, pos, field, extraLines);
                    }

                    p += q;
                    if (p + 1 >= s.Length && !end)
                    {
                        return Open(start, pos, field, extraLines);
                    }

                    if (p + 1 < s.Length && s[p + 1] == '"')
                    {
                        p += 2;
                        continue;
                    }

                    break;
                }

                contentStart = pos + 1;
                contentEnd = p;
                var content = s[contentStart..contentEnd];
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
                var e = NextFieldEnd(s, classes, pos);
                if (e == s.Length && !end)
                {
                    return Open(start, pos, field, extraLines);
                }

                contentStart = pos;
                contentEnd = pos = e;
            }

            if (contentEnd - contentStart > _maxFieldBytes)
            {
                throw FieldTooLong(_line + extraLines, field);
            }

            if (!_header && field < _plainChecks.Length)
            {
                var check = _plainChecks[field];
                if (check != PlainCheck.None && !IsPlainNumber(classes, contentStart, contentEnd - contentStart, check))
                {
                    CheckField(field, s.Slice(contentStart, contentEnd - contentStart));
                }
            }

            field++;
            if (field > _columns.Length)
            {
                // Fail now rather than hold a row of millions of fields: the count is wrong whatever follows.
                throw RowError($"The row has more than the {_columns.Length} fields of the header", null);
            }

            var recordEnd = false;
            if (pos >= s.Length)
            {
                if (!end)
                {
                    return Open(start, pos, field, extraLines);
                }

                recordEnd = true;
            }
            else if (s[pos] == _separator)
            {
                pos++;
                if (pos >= s.Length && !end)
                {
                    return Open(start, pos, field, extraLines);
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
                    return Open(start, pos, field, extraLines);
                }

                pos += pos + 1 < s.Length && s[pos + 1] == '\n' ? 2 : 1;
                recordEnd = true;
            }
            else
            {
                throw RowError("A character follows the closing quote of a field", field - 1);
            }

            if (recordEnd)
            {
                if (field != _columns.Length)
                {
                    throw RowError($"The row has {field} fields but the header has {_columns.Length}", null);
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

    /// <summary>The position of the next separator or line break at or after <paramref name="pos"/>, or the length of
    /// <paramref name="s"/> (a quote inside an unquoted field is a plain character).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextFieldEnd(ReadOnlySpan<byte> s, ReadOnlySpan<CsvByteClasses> classes, int pos)
    {
        var entry = pos >> 6;
        var bits = classes[entry].Structural & (ulong.MaxValue << (pos & 63));
        while (bits == 0)
        {
            if (++entry << 6 >= s.Length)
            {
                return s.Length;
            }

            bits = classes[entry].Structural;
        }

        return Math.Min((entry << 6) + BitOperations.TrailingZeroCount(bits), s.Length);
    }

    /// <summary>Checks a value by the full rules of its column's kind (parsing it), widening an inferred column when the value needs it.</summary>
    private void CheckField(int field, ReadOnlySpan<byte> value)
    {
        var column = _columns[field];
        switch (column.Kind)
        {
            case DataKind.String:
                return;
            case DataKind.Single or DataKind.Double:
                if (value.IsEmpty)
                {
                    HasMissingReals = true;
                    return;
                }

                if (!IsReal(value))
                {
                    throw RowError($"'{Text(value)}' is not a number, but the column is {column.Kind}", field);
                }

                return;
            case DataKind.Boolean:
                CheckBoolean(field, column, value);
                return;
            default:
                CheckInteger(field, column, value);
                return;
        }
    }

    /// <summary>Whether a value is, judged by its byte classes alone, a number its column takes: an optional sign then digits (at most
    /// 9 for Int32, 18 for Int64), or for a real column digits with at most one decimal point. Anything else (empty, spaces, exponents,
    /// longer integers, NaN, other kinds) is left to <see cref="CheckField(int, ReadOnlySpan{byte})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPlainNumber(ReadOnlySpan<CsvByteClasses> classes, int start, int length, PlainCheck check)
    {
        if (check == PlainCheck.Parse || length == 0 || length > 64)
        {
            return false;
        }

        ref readonly var first = ref classes[start >> 6];
        ref readonly var second = ref classes[(start >> 6) + 1];
        var offset = start & 63;
        var mask = CsvByteClasses.LengthMask(length);
        var digits = CsvByteClasses.Window(first.Digit, second.Digit, offset, mask);
        var signs = CsvByteClasses.Window(first.Sign, second.Sign, offset, mask) & 1;
        var dots = CsvByteClasses.Window(first.Dot, second.Dot, offset, mask);
        if ((digits | signs | dots) != mask || digits == 0)
        {
            return false;
        }

        return check == PlainCheck.Real
            ? BitOperations.PopCount(dots) <= 1
            : dots == 0 && length - (int)signs <= (check == PlainCheck.Int32 ? 9 : 18);
    }

    private static PlainCheck PlainCheckFor(DataKind kind) => kind switch
    {
        DataKind.String => PlainCheck.None,
        DataKind.Single or DataKind.Double => PlainCheck.Real,
        DataKind.Int32 => PlainCheck.Int32,
        DataKind.Int64 => PlainCheck.Int64,
        _ => PlainCheck.Parse,
    };

    private void Widen(int field, DataKind kind)
    {
        _columns[field] = _columns[field] with { Kind = kind };
        _plainChecks[field] = PlainCheckFor(kind);
    }

    private static bool IsReal(ReadOnlySpan<byte> value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || IsSpecialReal(value);

    private void CheckInteger(int field, CsvColumn column, ReadOnlySpan<byte> value)
    {
        var kind = column.Kind;
        var trimmed = value.Trim((byte)' ');
        var fits = kind switch
        {
            DataKind.SByte => sbyte.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.Byte => byte.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.Int16 => short.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.UInt16 => ushort.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.Int32 => int.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.UInt32 => uint.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.Int64 => long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            DataKind.UInt64 => ulong.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ => true,
        };
        if (fits)
        {
            return;
        }

        if (column.Inferred)
        {
            // Inferred from the sample: a larger integer widens Int32 to Int64; a fraction or a missing value widens to the real type.
            var widened = kind == DataKind.Int32 && long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? DataKind.Int64 : _realType;
            Widen(field, widened);
            CheckField(field, value);
            return;
        }

        if (value.IsEmpty)
        {
            throw RowError($"The value is missing, but the column is {kind}, which has no missing value; give the column a real type in CsvOptions.ColumnTypes", field);
        }

        throw RowError(
            long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || ulong.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? $"'{Text(value)}' is out of range for the column's type {kind}"
                : $"'{Text(value)}' is not an integer, but the column is {kind}",
            field);
    }

    private void CheckBoolean(int field, CsvColumn column, ReadOnlySpan<byte> value)
    {
        var trimmed = value.Trim(" \t"u8);
        if (value.IsEmpty || Ascii.EqualsIgnoreCase(trimmed, "true"u8) || Ascii.EqualsIgnoreCase(trimmed, "false"u8))
        {
            return;
        }

        if (column.Inferred)
        {
            Widen(field, DataKind.String);
        }
        else if (!trimmed.SequenceEqual("0"u8) && !trimmed.SequenceEqual("1"u8))
        {
            throw RowError($"'{Text(value)}' is not a boolean, but the column is {column.Kind}", field);
        }
    }

    private static bool IsSpecialReal(ReadOnlySpan<byte> value)
    {
        var text = value.Trim(" \t"u8);
        return text.SequenceEqual("inf"u8) || text.SequenceEqual("-inf"u8) || text.SequenceEqual("+inf"u8)
            || text.SequenceEqual("∞"u8) || text.SequenceEqual("-∞"u8);
    }

    private static string Text(ReadOnlySpan<byte> content) =>
        content.Length > 40 ? Encoding.UTF8.GetString(content[..40]) + "…" : Encoding.UTF8.GetString(content);

    private string? ColumnName(int field) => field < _columns.Length ? _columns[field].Name : null;

    /// <summary>Notes where the field that runs past the data starts and returns <paramref name="start"/> (the record is incomplete).</summary>
    private int Open(int start, int fieldStart, int field, int extraLines)
    {
        _openFieldOffset = fieldStart - start;
        _openField = field;
        _openFieldLine = _line + extraLines;
        return start;
    }

    private CsvRowException FieldTooLong(long line, int field) =>
        new($"A field is longer than {_maxFieldBytes} bytes (CsvOptions.MaxFieldLength); check for an unbalanced quote, or raise the limit", line, ColumnName(field), false);

    private CsvRowException RowError(string message, int? field) =>
        new(message, _line, field is { } f ? ColumnName(f) : null, false);

    /// <summary>What a value needs beyond its byte classes: nothing (text), the plain-number test of a kind, or parsing.</summary>
    private enum PlainCheck : byte
    {
        None,
        Real,
        Int32,
        Int64,
        Parse,
    }
}
