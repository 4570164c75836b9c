using System.Data.Common;
using System.Globalization;
using System.Text;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>A statement being built from a parsed search: its text and its parameters (every value the user gave is a parameter).</summary>
internal sealed class SqlQuery(SqlDialect dialect)
{
    private readonly List<(string Name, object? Value)> _parameters = [];

    public SqlDialect Dialect { get; } = dialect;

    public StringBuilder Sql { get; } = new();

    public string Text => Sql.ToString();

    /// <summary>A new parameter holding <paramref name="value"/>; returns its name.</summary>
    public string Parameter(object? value)
    {
        var name = "@p" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add((name, value));
        return name;
    }

    public void Bind(DbCommand command)
    {
        foreach (var (name, value) in _parameters)
        {
            SqlDatabase.Add(command, name, value);
        }
    }

    /// <summary>The SQL of <c>column comparator value</c> for a text clause (=, !=, LIKE, ILIKE, IN, NOT IN).</summary>
    public string TextCondition(string column, SearchComparator comparator, SearchValue value) => comparator switch
    {
        SearchComparator.Equal => $"{column} = {Parameter(value.Text)}",
        SearchComparator.NotEqual => $"{column} != {Parameter(value.Text)}",
        SearchComparator.Like => $"{column} LIKE {Parameter(value.Text)}",
        SearchComparator.ILike => Dialect.ILike(column, Parameter(value.Text)),
        SearchComparator.In => value.List is { Count: > 0 } list ? $"{column} IN ({string.Join(", ", list.Select(v => Parameter(v)))})" : "1 = 0",
        SearchComparator.NotIn => value.List is { Count: > 0 } list ? $"{column} NOT IN ({string.Join(", ", list.Select(v => Parameter(v)))})" : "1 = 1",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not a text comparator."),
    };

    /// <summary>The SQL of <c>column comparator number</c> for a numeric clause.</summary>
    public string NumberCondition(string column, SearchComparator comparator, object number) =>
        $"{column} {Operator(comparator)} {Parameter(number)}";

    private static string Operator(SearchComparator comparator) => comparator switch
    {
        SearchComparator.Equal => "=",
        SearchComparator.NotEqual => "!=",
        SearchComparator.Greater => ">",
        SearchComparator.GreaterOrEqual => ">=",
        SearchComparator.Less => "<",
        SearchComparator.LessOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(comparator), comparator, "Not a numeric comparator."),
    };

    /// <summary>A time filter's number as the BIGINT it compares with when it is whole, else as the double.</summary>
    public static object Whole(double number) =>
        number == Math.Floor(number) && Math.Abs(number) < 9e18 ? (long)number : number;
}
