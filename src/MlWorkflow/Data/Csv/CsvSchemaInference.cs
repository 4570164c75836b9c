using System.Globalization;
using System.Text;
using Microsoft.ML.Data;

namespace MlWorkflow.Data.Csv;

/// <summary>Infers column names and kinds from the header and a sample of rows.</summary>
internal static class CsvSchemaInference
{
    public static async Task<IReadOnlyList<CsvColumn>> InferAsync(string path, CsvOptions options, CancellationToken cancellationToken)
    {
        // The sample is small: one 64 KB read usually holds it.
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 1 << 16 });
        var records = new CsvRecordReader(reader, options.Separator, path, options.MaxFieldLength);
        await Task.Yield();
        var header = records.Read(options.MaxHeaderLength) ?? throw new DataSourceException("The CSV file is empty", path);
        var names = options.HasHeader ? header.Select(h => h.Trim()).ToList() : header.Select((_, i) => $"Column{i + 1}").ToList();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new DataSourceException($"Column name '{duplicate.Key}' appears more than once in the header", path, 1, column: duplicate.Key);
        }

        var unknown = options.ColumnTypes.Keys.FirstOrDefault(k => !names.Contains(k, StringComparer.Ordinal));
        if (unknown is not null)
        {
            throw new DataSourceException($"ColumnTypes names column '{unknown}', which the file does not have", path, column: unknown);
        }

        records.Columns = names;
        var stats = names.Select(_ => new ColumnStats()).ToArray();
        var sample = options.HasHeader ? new List<List<string>>() : [header];
        for (var i = sample.Count; i < options.SampleRows; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var record = records.Read();
            if (record is null)
            {
                break;
            }

            sample.Add(record);
        }

        foreach (var record in sample)
        {
            for (var c = 0; c < stats.Length && c < record.Count; c++)
            {
                stats[c].Observe(record[c]);
            }
        }

        return names.Select((name, i) => new CsvColumn(
            name, i, options.ColumnTypes.TryGetValue(name, out var kind) ? kind : stats[i].Kind(options.RealType), !options.ColumnTypes.ContainsKey(name))).ToList();
    }

    private sealed class ColumnStats
    {
        private bool _missing;
        private bool _any;
        private bool _boolean = true;
        private bool _int32 = true;
        private bool _int64 = true;
        private bool _real = true;

        public void Observe(string value)
        {
            if (value.Length == 0)
            {
                _missing = true;
                return;
            }

            _any = true;

            // Each test runs only while it can still succeed, and an integer is also a long and a real: most values need one parse.
            _boolean = _boolean && bool.TryParse(value, out _);
            _int32 = _int32 && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
            _int64 = _int64 && (_int32 || long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
            _real = _real && (_int64 || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        }

        public DataKind Kind(DataKind realType) => (_any, _boolean, _int32, _int64, _real, _missing) switch
        {
            (false, _, _, _, _, _) => DataKind.String,
            (_, true, _, _, _, _) => DataKind.Boolean,
            (_, _, true, _, _, false) => DataKind.Int32,
            (_, _, _, true, _, false) => DataKind.Int64,
            (_, _, _, _, true, _) => realType,
            _ => DataKind.String,
        };
    }
}
