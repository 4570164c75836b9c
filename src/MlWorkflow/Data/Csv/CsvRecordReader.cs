using System.Text;

namespace MlWorkflow.Data.Csv;

/// <summary>Reads RFC 4180 records (quoted fields, doubled quotes, newlines inside quotes) for the header and the inference sample,
/// holding fields to <see cref="CsvOptions.MaxFieldLength"/> and the header to <see cref="CsvOptions.MaxHeaderLength"/>.</summary>
internal sealed class CsvRecordReader(TextReader reader, char separator, string filePath, int maxFieldBytes = CsvOptions.DefaultMaxFieldLength)
{
    private readonly StringBuilder _field = new();

    /// <summary>The 1-based line the last record started on.</summary>
    public long Line { get; private set; }

    /// <summary>The column names, once known: they name the column of an over-long field, and fields past their count are skipped
    /// (the whole-file check reports such a row) so that a row of millions of fields costs no memory.</summary>
    public IReadOnlyList<string>? Columns { get; set; }

    private long _nextLine = 1;

    /// <summary>Reads the next record, or null at the end; blank lines are skipped.</summary>
    /// <param name="maxRecordBytes">The longest record accepted in UTF-8 bytes (the header's limit), or null for no limit on the whole.</param>
    public List<string>? Read(int? maxRecordBytes = null)
    {
        while (true)
        {
            Line = _nextLine;
            var fields = new List<string>();
            _field.Clear();
            long fieldBytes = 0;
            long recordBytes = 0;
            var quoted = false;
            var any = false;
            while (true)
            {
                var c = reader.Read();
                if (c < 0)
                {
                    if (quoted)
                    {
                        throw new DataSourceException("A quoted field is not closed before the end of the file", filePath, Line, column: ColumnName(fields.Count));
                    }

                    if (!any)
                    {
                        return null;
                    }

                    Add(fields);
                    return fields;
                }

                any = true;
                // UTF-8 length of the character: surrogate halves count 2 each, 4 for the pair.
                var bytes = c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate((char)c) ? 2 : 3;
                recordBytes += bytes;
                if (recordBytes > maxRecordBytes)
                {
                    throw new DataSourceException(
                        $"The header line is longer than {maxRecordBytes} bytes (CsvOptions.MaxHeaderLength); check the separator and the file, or raise the limit",
                        filePath,
                        Line);
                }

                if (quoted)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            Append('"', 1, ref fieldBytes, fields.Count);
                        }
                        else
                        {
                            quoted = false;
                        }
                    }
                    else
                    {
                        if (c == '\n')
                        {
                            _nextLine++;
                        }

                        Append((char)c, bytes, ref fieldBytes, fields.Count);
                    }

                    continue;
                }

                if (c == '"' && _field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == separator)
                {
                    Add(fields);
                    fieldBytes = 0;
                }
                else if (c == '\r' || c == '\n')
                {
                    if (c == '\r' && reader.Peek() == '\n')
                    {
                        reader.Read();
                    }

                    _nextLine++;
                    if (fields.Count == 0 && _field.Length == 0)
                    {
                        break;
                    }

                    Add(fields);
                    return fields;
                }
                else
                {
                    Append((char)c, bytes, ref fieldBytes, fields.Count);
                }
            }
        }
    }

    private void Append(char c, int bytes, ref long fieldBytes, int field)
    {
        fieldBytes += bytes;
        if (fieldBytes > maxFieldBytes)
        {
            throw new DataSourceException(
                $"A field is longer than {maxFieldBytes} bytes (CsvOptions.MaxFieldLength); check for an unbalanced quote, or raise the limit",
                filePath,
                Line,
                column: ColumnName(field));
        }

        // Fields past the header's count are not kept: the row is malformed and the whole-file check names it.
        if (Columns is null || field < Columns.Count)
        {
            _field.Append(c);
        }
    }

    private void Add(List<string> fields)
    {
        if (Columns is null || fields.Count < Columns.Count)
        {
            fields.Add(_field.ToString());
        }

        _field.Clear();
    }

    private string? ColumnName(int field) => Columns is not null && field < Columns.Count ? Columns[field] : null;
}
