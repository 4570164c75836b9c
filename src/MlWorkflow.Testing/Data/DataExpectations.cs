using System.Globalization;
using Microsoft.ML;

namespace MlWorkflow.Testing.Data;

/// <summary>
/// Expectations on a data set, declared then checked in one call:
/// <c>DataExpectations.For(data).HasColumn("price", typeof(float)).InRange("price", 0, 20000).AllowedValues("cut", "Fair", "Good").Unique("id").Check()</c>.
/// A missing value is NaN in a number column and an empty text in a text column.
/// </summary>
public sealed class DataExpectations
{
    private const int MaxExamples = 5;
    private readonly IDataView _data;
    private readonly List<Func<DataExpectationFailure?>> _checks = [];

    private DataExpectations(IDataView data) => _data = data;

    /// <summary>Starts expectations on a data view.</summary>
    /// <param name="data">The data.</param>
    /// <returns>The expectations to declare.</returns>
    public static DataExpectations For(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DataExpectations(data);
    }

    /// <summary>Expects a column, optionally of a type.</summary>
    /// <param name="column">The column's name.</param>
    /// <param name="type">The column's element type (<c>typeof(float)</c>, <c>typeof(string)</c> for text...). The default value is null (any type).</param>
    /// <returns>These expectations.</returns>
    public DataExpectations HasColumn(string column, Type? type = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        var expectation = type is null ? $"column '{column}'" : $"column '{column}' of type {type.Name}";
        _checks.Add(() =>
        {
            var found = _data.Schema.GetColumnOrNull(column);
            if (found is null)
            {
                return new DataExpectationFailure(expectation, 0, [$"missing; there are: {string.Join(", ", _data.Schema.Take(20).Select(c => c.Name))}"]);
            }

            var raw = found.Value.Type.RawType;
            var expected = type == typeof(string) ? typeof(ReadOnlyMemory<char>) : type;
            return expected is null || raw == expected ? null : new DataExpectationFailure(expectation, 0, [$"is {found.Value.Type}"]);
        });
        return this;
    }

    /// <summary>Expects a number of rows.</summary>
    /// <param name="minimum">The fewest rows.</param>
    /// <param name="maximum">The most rows. The default value is <see cref="long.MaxValue"/> (no upper bound).</param>
    /// <returns>These expectations.</returns>
    public DataExpectations RowCount(long minimum, long maximum = long.MaxValue)
    {
        var expectation = maximum == long.MaxValue
            ? string.Create(CultureInfo.InvariantCulture, $"at least {minimum} rows")
            : string.Create(CultureInfo.InvariantCulture, $"between {minimum} and {maximum} rows");
        _checks.Add(() =>
        {
            var count = _data.GetRowCount() ?? CountRows();
            return count >= minimum && count <= maximum
                ? null
                : new DataExpectationFailure(expectation, 0, [string.Create(CultureInfo.InvariantCulture, $"there are {count}")]);
        });
        return this;
    }

    /// <summary>Expects every value of a number column in a closed range (missing values are left to <see cref="MissingShareAtMost"/>).</summary>
    /// <param name="column">The column's name.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The inclusive upper bound.</param>
    /// <returns>These expectations.</returns>
    public DataExpectations InRange(string column, double low, double high)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        var expectation = string.Create(CultureInfo.InvariantCulture, $"column '{column}' in [{low:R}, {high:R}]");
        return AddRowCheck(column, expectation, v => v.Number is not { } n || double.IsNaN(n) || (n >= low && n <= high));
    }

    /// <summary>Expects every value of a text column among the allowed ones (missing values are left to <see cref="MissingShareAtMost"/>).</summary>
    /// <param name="column">The column's name.</param>
    /// <param name="allowed">The allowed values (ordinal comparison).</param>
    /// <returns>These expectations.</returns>
    public DataExpectations AllowedValues(string column, params string[] allowed)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(allowed);
        var set = new HashSet<string>(allowed, StringComparer.Ordinal);
        var expectation = $"column '{column}' in {{{string.Join(", ", allowed.Take(20))}}}";
        return AddRowCheck(column, expectation, v => string.IsNullOrEmpty(v.Text) || set.Contains(v.Text));
    }

    /// <summary>Expects at most a share of a column's values missing.</summary>
    /// <param name="column">The column's name.</param>
    /// <param name="share">The largest share of missing values, from 0 to 1.</param>
    /// <returns>These expectations.</returns>
    public DataExpectations MissingShareAtMost(string column, double share)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentOutOfRangeException.ThrowIfNegative(share);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        var expectation = string.Create(CultureInfo.InvariantCulture, $"column '{column}' missing in at most {share * 100:0.##}% of rows");
        _checks.Add(() =>
        {
            if (_data.Schema.GetColumnOrNull(column) is null)
            {
                return Missing(column, expectation);
            }

            long rows = 0;
            long missing = 0;
            var examples = new List<string>();
            foreach (var value in ColumnValues.Read(_data, column))
            {
                rows++;
                if ((value.Number is { } n && double.IsNaN(n)) || (value.Number is null && string.IsNullOrEmpty(value.Text)))
                {
                    missing++;
                    if (examples.Count < MaxExamples)
                    {
                        examples.Add(string.Create(CultureInfo.InvariantCulture, $"row {value.Row}"));
                    }
                }
            }

            return rows == 0 || (double)missing / rows <= share ? null : new DataExpectationFailure(expectation, missing, examples);
        });
        return this;
    }

    /// <summary>
    /// Expects each row's value of a column, or combination of values of a column set, to be unique (a key). Missing values
    /// count as values: two rows missing the key are duplicates.
    /// </summary>
    /// <param name="columns">The key's column (or columns, checked together).</param>
    /// <returns>These expectations.</returns>
    /// <remarks>The failure counts the rows that repeat a key seen in an earlier row and shows up to five of them, with the row that held the key first.</remarks>
    public DataExpectations Unique(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfZero(columns.Length);
        foreach (var column in columns)
        {
            ArgumentException.ThrowIfNullOrEmpty(column);
        }

        var expectation = columns.Length == 1
            ? $"column '{columns[0]}' unique"
            : $"columns ({string.Join(", ", columns.Take(20))}) unique together";
        _checks.Add(() =>
        {
            if (columns.FirstOrDefault(c => _data.Schema.GetColumnOrNull(c) is null) is { } missing)
            {
                return Missing(missing, expectation);
            }

            var firstRowOf = new Dictionary<string, long>(StringComparer.Ordinal);
            long duplicates = 0;
            var examples = new List<string>();
            foreach (var (row, key, shown) in Keys(columns))
            {
                if (firstRowOf.TryAdd(key, row))
                {
                    continue;
                }

                duplicates++;
                if (examples.Count < MaxExamples)
                {
                    examples.Add(string.Create(CultureInfo.InvariantCulture, $"row {row}: {Shorten(shown)} (as row {firstRowOf[key]})"));
                }
            }

            return duplicates == 0 ? null : new DataExpectationFailure(expectation, duplicates, examples);
        });
        return this;
    }

    /// <summary>Checks every expectation, in the order declared.</summary>
    /// <returns>The report; <see cref="DataReport.ThrowIfFailed"/> fails a test.</returns>
    /// <exception cref="ArgumentException">A range or category expectation names a column that is neither numeric nor text.</exception>
    public DataReport Check()
    {
        var failures = _checks.Select(c => c()).OfType<DataExpectationFailure>().ToList();
        return new DataReport(failures, _checks.Count);
    }

    private DataExpectations AddRowCheck(string column, string expectation, Func<(long Row, double? Number, string? Text), bool> accept)
    {
        _checks.Add(() =>
        {
            if (_data.Schema.GetColumnOrNull(column) is null)
            {
                return Missing(column, expectation);
            }

            long failing = 0;
            var examples = new List<string>();
            foreach (var value in ColumnValues.Read(_data, column))
            {
                if (!accept(value))
                {
                    failing++;
                    if (examples.Count < MaxExamples)
                    {
                        var shown = value.Text is { } text ? "'" + (text.Length > 50 ? text[..50] + "…" : text) + "'" : value.Number?.ToString("R", CultureInfo.InvariantCulture);
                        examples.Add(string.Create(CultureInfo.InvariantCulture, $"row {value.Row}: {shown}"));
                    }
                }
            }

            return failing == 0 ? null : new DataExpectationFailure(expectation, failing, examples);
        });
        return this;
    }

    /// <summary>Each row's key (its values of the columns, with the type so that 1 and '1' differ) and the key as the failures show it.</summary>
    private IEnumerable<(long Row, string Key, string Shown)> Keys(string[] columns)
    {
        var readers = columns.Select(c => ColumnValues.Read(_data, c).GetEnumerator()).ToArray();
        try
        {
            while (readers.All(r => r.MoveNext()))
            {
                var shown = readers.Select(r => Show(r.Current)).ToArray();
                yield return (readers[0].Current.Row, string.Join('\u001F', shown), string.Join(", ", shown));
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    private static string Show((long Row, double? Number, string? Text) value) =>
        value.Text is { } text ? "'" + text + "'" : value.Number?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty;

    private static string Shorten(string shown) => shown.Length > 100 ? shown[..100] + "…" : shown;

    private static DataExpectationFailure Missing(string column, string expectation) =>
        new(expectation, 0, [$"column '{column}' is missing"]);

    private long CountRows()
    {
        using var cursor = _data.GetRowCursor([]);
        long count = 0;
        while (cursor.MoveNext())
        {
            count++;
        }

        return count;
    }
}
