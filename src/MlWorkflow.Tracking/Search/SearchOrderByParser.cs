namespace MlWorkflow.Tracking.Search;

/// <summary>Parses order_by clauses: <c>&lt;identifier&gt; [ASC|DESC]</c> each, validated against a <see cref="SearchGrammar"/>.</summary>
internal static class SearchOrderByParser
{
    /// <summary>Parses the clauses, in order; null or empty means none.</summary>
    /// <exception cref="MlflowException">A clause is malformed or names a key order_by does not accept.</exception>
    public static IReadOnlyList<SearchOrderKey> Parse(IReadOnlyList<string>? orderBy, SearchGrammar grammar)
    {
        if (orderBy is null || orderBy.Count == 0)
        {
            return Array.Empty<SearchOrderKey>();
        }

        var keys = new SearchOrderKey[orderBy.Count];
        for (var i = 0; i < orderBy.Count; i++)
        {
            keys[i] = ParseOne(orderBy[i] ?? string.Empty, grammar);
        }

        return keys;
    }

    private static SearchOrderKey ParseOne(string clause, SearchGrammar grammar)
    {
        var tokens = SearchTokenizer.Tokenize(clause, SearchTextKind.OrderBy);
        var identifier = tokens[0];
        if (identifier.Kind == SearchTokenKind.End)
        {
            throw SearchSyntax.Error(SearchTextKind.OrderBy, clause, identifier, "the clause is empty");
        }

        if (identifier.Kind is not (SearchTokenKind.Identifier or SearchTokenKind.DoubleQuotedString) || identifier.IsReservedWord)
        {
            throw SearchSyntax.Error(SearchTextKind.OrderBy, clause, identifier, "expected an identifier such as metrics.rmse or start_time");
        }

        var ascending = true;
        var next = 1;
        if (tokens[next].IsKeyword("ASC") || tokens[next].IsKeyword("DESC"))
        {
            ascending = tokens[next].IsKeyword("ASC");
            next++;
        }

        if (tokens[next].Kind != SearchTokenKind.End)
        {
            var problem = next == 1 ? "expected ASC or DESC after the identifier" : "too many tokens; only one identifier and a direction are allowed";
            throw SearchSyntax.Error(SearchTextKind.OrderBy, clause, tokens[next], problem);
        }

        var entity = identifier.Entity ?? string.Empty;
        if (!grammar.TryGetEntity(entity, out var kind)
            || (kind != SearchIdentifierKind.Attribute && !grammar.OrdersBy(kind)))
        {
            throw SearchSyntax.Error(SearchTextKind.OrderBy, clause, identifier, $"Invalid order_by entity type '{entity}' for {grammar.Subject}");
        }

        if (kind != SearchIdentifierKind.Attribute)
        {
            return new SearchOrderKey(kind, identifier.Text, ascending);
        }

        return grammar.OrderByAttributes.TryGetValue(identifier.Text, out var field)
            ? new SearchOrderKey(kind, field, ascending)
            : throw SearchSyntax.Error(
                SearchTextKind.OrderBy, clause, identifier,
                $"Invalid attribute key '{identifier.Text}' specified; {grammar.Subject} order by {string.Join(", ", grammar.OrderByAttributes.Keys.Order(StringComparer.Ordinal))}");
    }
}
