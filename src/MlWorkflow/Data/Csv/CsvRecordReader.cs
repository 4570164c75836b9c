using System.Text;

namespace MlWorkflow.Data.Csv;

/// <summary>Reads RFC 4180 records (quoted fields, doubled quotes, newlines inside quotes) for the header and the inference sample.</summary>
internal sealed class CsvRecordReader(TextReader reader, char separator, string filePath)
{
    private readonly StringBuilder _field = new();

    /// <summary>The 1-based line the last record started on.</summary>
    public long Line { get; private set; }

    private long _nextLine = 1;

    /// <summary>Reads the next record, or null at the end; blank lines are skipped.</summary>
    public List<string>? Read()
    {
        while (true)
        {
            Line = _nextLine;
            var fields = new List<string>();
            _field.Clear();
            var quoted = false;
            var any = false;
            while (true)
            {
                var c = reader.Read();
                if (c < 0)
                {
                    if (quoted)
                    {
                        throw new DataSourceException("A quoted field is not closed before the end of the file", filePath, Line, column: null);
                    }

                    if (!any)
                    {
                        return null;
                    }

                    fields.Add(_field.ToString());
                    return fields;
                }

                any = true;
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            _field.Append('"');
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

                        _field.Append((char)c);
                    }

                    continue;
                }

                if (c == '"' && _field.Length == 0)
                {
                    quoted = true;
                }
                else if (c == separator)
                {
                    fields.Add(_field.ToString());
                    _field.Clear();
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

                    fields.Add(_field.ToString());
                    return fields;
                }
                else
                {
                    _field.Append((char)c);
                }
            }
        }
    }
}
