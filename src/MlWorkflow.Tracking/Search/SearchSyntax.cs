using System.Globalization;

namespace MlWorkflow.Tracking.Search;

/// <summary>What a piece of search text is, for error messages.</summary>
internal enum SearchTextKind
{
    /// <summary>A filter string.</summary>
    Filter,

    /// <summary>One order_by clause.</summary>
    OrderBy,
}

/// <summary>Builds the <see cref="ErrorCode.InvalidParameterValue"/> errors of the search grammar, each pointing at the offending text.</summary>
internal static class SearchSyntax
{
    /// <summary>An error at a token: <c>Invalid filter string "…": &lt;problem&gt; (at position N: 'token').</c></summary>
    public static MlflowException Error(SearchTextKind kind, string input, SearchToken token, string problem) =>
        Error(kind, input, token.Position, token.Source(input), problem);

    /// <summary>An error at a position (0-based character index).</summary>
    public static MlflowException Error(SearchTextKind kind, string input, int position, string offending, string problem)
    {
        var subject = kind == SearchTextKind.Filter ? "filter string" : "order_by clause";
        return MlflowException.InvalidParameter(string.Create(
            CultureInfo.InvariantCulture,
            $"Invalid {subject} \"{input}\": {problem} (at position {position}: '{offending}')."));
    }
}
