namespace MlWorkflow.Tracking.Search;

/// <summary>One token of a filter or order_by string.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Text">The unquoted text: the key of an identifier, the content of a string, the digits of a number, the operator.</param>
/// <param name="Position">The 0-based index of the token's first character in the input.</param>
/// <param name="Length">The number of input characters the token spans.</param>
/// <param name="Entity">For an identifier with a dot: the part before the first dot (unquoted); otherwise null.</param>
/// <param name="IsQuoted">For an identifier: whether its key (or its only part) was quoted, which makes it never a keyword.</param>
/// <param name="Number">For a number: its value.</param>
internal readonly record struct SearchToken(
    SearchTokenKind Kind,
    string Text,
    int Position,
    int Length,
    string? Entity = null,
    bool IsQuoted = false,
    double Number = 0)
{
    /// <summary>Whether the token is the bare keyword <paramref name="keyword"/> (case-insensitive).</summary>
    public bool IsKeyword(string keyword) =>
        Kind == SearchTokenKind.Identifier && Entity is null && !IsQuoted && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the token is a bare word that SQL reserves and MLflow's grammar rejects or uses as a keyword.</summary>
    public bool IsReservedWord =>
        IsKeyword("AND") || IsKeyword("OR") || IsKeyword("NOT") || IsKeyword("IS") || IsKeyword("NULL")
        || IsKeyword("IN") || IsKeyword("LIKE") || IsKeyword("ILIKE") || IsKeyword("ASC") || IsKeyword("DESC");

    /// <summary>The token as written in the input (quotes included).</summary>
    public string Source(string input) => Kind == SearchTokenKind.End ? "end of input" : input.Substring(Position, Length);
}
