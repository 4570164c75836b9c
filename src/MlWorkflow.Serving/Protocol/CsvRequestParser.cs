using System.Globalization;
using System.Text;

namespace MlWorkflow.Serving.Protocol;

/// <summary>
/// Reads a <c>text/csv</c> scoring request: a header row, then one row per record (RFC 4180 quoting; blank lines skipped),
/// as MLflow reads it with pandas' <c>read_csv</c>. Values stay text until the model's column types convert them.
/// </summary>
internal static class CsvRequestParser
{
    private const string Prefix = "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the `pandas.DataFrame.to_csv()` method. Error: ";

    public static InputTable Parse(ReadOnlyMemory<byte> body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body.Span);
        }
        catch (DecoderFallbackException)
        {
            throw ScoringException.Input(Prefix + "'the body is not valid UTF-8'");
        }

        var records = ReadRecords(text);
        if (records.Count == 0)
        {
            throw ScoringException.Input(Prefix + "'No columns to parse from file'");
        }

        var header = records[0];
        var rows = records.Count - 1;
        var cells = header.Select(_ => new Cell[rows]).ToArray();
        for (var r = 0; r < rows; r++)
        {
            var record = records[r + 1];
            if (record.Count != header.Count)
            {
                throw ScoringException.Input(Prefix + string.Create(CultureInfo.InvariantCulture, $"'Expected {header.Count} fields in line {r + 2}, saw {record.Count}'"));
            }

            for (var c = 0; c < header.Count; c++)
            {
                cells[c][r] = Cell.FromText(record[c]);
            }
        }

        var table = new InputTable(rows);
        for (var c = 0; c < header.Count; c++)
        {
            table.Add(header[c] ?? string.Empty, cells[c]);
        }

        return table;
    }

    private static List<List<string?>> ReadRecords(string text)
    {
        var records = new List<List<string?>>();
        var record = new List<string?>();
        var field = new StringBuilder();
        var quoted = false;
        var fieldStarted = false;
        var i = 0;
        while (i < text.Length)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }

                i++;
                continue;
            }

            switch (ch)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    fieldStarted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    fieldStarted = true;
                    break;
                case '\r' or '\n':
                    EndRecord();
                    if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }

                    break;
                default:
                    field.Append(ch);
                    fieldStarted = true;
                    break;
            }

            i++;
        }

        if (quoted)
        {
            throw ScoringException.Input(Prefix + "'EOF inside string'");
        }

        EndRecord();
        return records;

        void EndRecord()
        {
            if (fieldStarted || field.Length > 0 || record.Count > 0)
            {
                record.Add(field.ToString());
                records.Add(record);
            }

            record = [];
            field.Clear();
            fieldStarted = false;
        }
    }
}
