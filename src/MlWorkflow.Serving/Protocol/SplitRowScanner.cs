using System.Text.Unicode;
using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Serving.Protocol;

/// <summary>One scalar JSON value as the row scanner found it.</summary>
internal enum ScannedKind
{
    Number,
    String,
    True,
    False,
    Null,
}

/// <summary>
/// The rows of a plain <c>dataframe_split</c> body scanned by hand, from its <c>data</c> key to the body's end: arrays of
/// scalars (strict JSON numbers, strings without escapes, true, false, null), then the split's and the body's closing
/// braces. Faster than a general JSON reader on the bulk of the body; anything else (an escape, a nested value, invalid
/// UTF-8, a key after the data, a value that is not of its column's kind) declines, and the general reader takes the body.
/// </summary>
internal ref struct SplitRowScanner
{
    private const int FirstCapacity = 128;
    private readonly ReadOnlySpan<byte> _body;
    private int _at;

    /// <summary>A scanner of <paramref name="body"/> from just after the <c>data</c> property's name, at <paramref name="at"/>.</summary>
    public SplitRowScanner(ReadOnlySpan<byte> body, int at)
    {
        _body = body;
        _at = at;
    }

    /// <summary>The rows into one array per input, or null to decline.</summary>
    public Array[]? TryReadRows(IReadOnlyList<InputColumn> inputs, int[] targets, out int rows)
    {
        rows = 0;

        // The reader stopped after the property name; its colon may or may not be behind it.
        if (!Expect((byte)':', optional: true) || !Expect((byte)'['))
        {
            return null;
        }

        var text = new TextChunks();
        var capacity = FirstCapacity;
        var columns = new Array[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            columns[i] = inputs[i].NewValues(capacity);
        }

        var separator = false;
        while (true)
        {
            SkipSpace();
            if (_at < _body.Length && _body[_at] == (byte)']')
            {
                _at++;
                break;
            }

            if ((separator && !Expect((byte)',')) || !Expect((byte)'['))
            {
                return null;
            }

            separator = true;
            if (rows == capacity)
            {
                capacity *= 2;
                for (var i = 0; i < columns.Length; i++)
                {
                    columns[i] = DataframeSplitReader.Grow(columns[i], capacity);
                }
            }

            for (var c = 0; c < targets.Length; c++)
            {
                if ((c > 0 && !Expect((byte)',')) || !TryScalar(out var kind, out var raw))
                {
                    return null;
                }

                var target = targets[c];
                if (target < 0)
                {
                    // A column the model does not read: any scalar (the general reader takes nested values too).
                    if (kind == ScannedKind.String && !Utf8.IsValid(raw))
                    {
                        return null;
                    }

                    continue;
                }

                if (!inputs[target].TryTakeValue(kind, raw, columns[target], rows, text))
                {
                    return null;
                }
            }

            if (!Expect((byte)']'))
            {
                return null;
            }

            rows++;
        }

        // The split object and the body end here: a key after the data (an index) is left to the general reader.
        if (rows == 0 || !Expect((byte)'}') || !Expect((byte)'}'))
        {
            return null;
        }

        SkipSpace();
        if (_at != _body.Length)
        {
            return null;
        }

        // Exactly one value per row, as the general conversion gives.
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = DataframeSplitReader.Grow(columns[i], rows);
        }

        return columns;
    }

    private void SkipSpace()
    {
        while (_at < _body.Length && _body[_at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            _at++;
        }
    }

    private bool Expect(byte token, bool optional = false)
    {
        SkipSpace();
        if (_at < _body.Length && _body[_at] == token)
        {
            _at++;
            return true;
        }

        return optional;
    }

    /// <summary>The next scalar: a number as JSON's grammar has it, a string without escapes (its bytes, quotes left out), or a literal.</summary>
    private bool TryScalar(out ScannedKind kind, out ReadOnlySpan<byte> raw)
    {
        SkipSpace();
        kind = ScannedKind.Null;
        raw = default;
        if (_at >= _body.Length)
        {
            return false;
        }

        var start = _at;
        switch (_body[_at])
        {
            case (byte)'"':
                {
                    _at++;
                    var from = _at;
                    var end = _body[from..].IndexOfAny((byte)'"', (byte)'\\');
                    if (end < 0 || _body[from + end] != (byte)'"')
                    {
                        return false;
                    }

                    raw = _body.Slice(from, end);
                    if (raw.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
                    {
                        return false;
                    }

                    _at = from + end + 1;
                    kind = ScannedKind.String;
                    return true;
                }

            case (byte)'t':
                kind = ScannedKind.True;
                return Literal("true"u8);
            case (byte)'f':
                kind = ScannedKind.False;
                return Literal("false"u8);
            case (byte)'n':
                kind = ScannedKind.Null;
                return Literal("null"u8);
            default:
                if (!Number())
                {
                    return false;
                }

                raw = _body[start.._at];
                kind = ScannedKind.Number;
                return true;
        }
    }

    private bool Literal(ReadOnlySpan<byte> literal)
    {
        if (!_body[_at..].StartsWith(literal))
        {
            return false;
        }

        _at += literal.Length;
        return true;
    }

    /// <summary>JSON's number grammar: <c>-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</c>.</summary>
    private bool Number()
    {
        if (Peek() == '-')
        {
            _at++;
        }

        if (Peek() == '0')
        {
            _at++;
        }
        else if (!Digits())
        {
            return false;
        }

        if (Peek() == '.')
        {
            _at++;
            if (!Digits())
            {
                return false;
            }
        }

        if (Peek() is 'e' or 'E')
        {
            _at++;
            if (Peek() is '+' or '-')
            {
                _at++;
            }

            if (!Digits())
            {
                return false;
            }
        }

        return true;
    }

    private bool Digits()
    {
        var from = _at;
        while ((uint)(Peek() - '0') <= 9)
        {
            _at++;
        }

        return _at > from;
    }

    private int Peek() => _at < _body.Length ? _body[_at] : -1;
}
