namespace MlWorkflow.Tracking.Search;

/// <summary>The kinds of token in a filter or order_by string.</summary>
internal enum SearchTokenKind
{
    /// <summary>An identifier: <c>[entity.]key</c>, bare or quoted; also every keyword (AND, LIKE, IN, NOT, ASC…), told apart by the parser.</summary>
    Identifier,

    /// <summary>A number with optional sign, fraction and exponent.</summary>
    Number,

    /// <summary>Text in single quotes.</summary>
    SingleQuotedString,

    /// <summary>Text in double quotes: a string value, or a key in identifier position.</summary>
    DoubleQuotedString,

    /// <summary>A run of the characters <c>= &lt; &gt; !</c>, such as <c>&gt;=</c>.</summary>
    Operator,

    /// <summary><c>(</c>.</summary>
    LeftParenthesis,

    /// <summary><c>)</c>.</summary>
    RightParenthesis,

    /// <summary><c>,</c>.</summary>
    Comma,

    /// <summary><c>;</c>.</summary>
    Semicolon,

    /// <summary>The end of the input.</summary>
    End,
}
