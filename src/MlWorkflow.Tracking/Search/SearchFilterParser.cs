namespace MlWorkflow.Tracking.Search;

/// <summary>
/// Parses a filter string (<c>clause (AND clause)*</c>, a trailing AND tolerated) and validates every clause against a
/// <see cref="SearchGrammar"/>. Every error is an <see cref="ErrorCode.InvalidParameterValue"/> that names the offending
/// token and its 0-based position.
/// </summary>
internal static class SearchFilterParser
{
    /// <summary>Parses a filter; null, empty or whitespace means no clause.</summary>
    /// <exception cref="MlflowException">The filter is malformed or names something the grammar does not have.</exception>
    public static IReadOnlyList<SearchClause> Parse(string? filter, SearchGrammar grammar)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return Array.Empty<SearchClause>();
        }

        var tokens = SearchTokenizer.Tokenize(filter, SearchTextKind.Filter);
        var clauses = new List<SearchClause>();
        var index = 0;
        while (tokens[index].Kind != SearchTokenKind.End)
        {
            clauses.Add(ParseClause(filter, tokens, ref index, grammar));
            var next = tokens[index];
            if (next.Kind == SearchTokenKind.End)
            {
                break;
            }

            if (!next.IsKeyword("AND"))
            {
                throw SearchSyntax.Error(SearchTextKind.Filter, filter, next, BetweenClausesProblem(next));
            }

            index++; // a trailing AND ends the loop on End
        }

        return clauses;
    }

    private static string BetweenClausesProblem(SearchToken token)
    {
        if (token.IsKeyword("OR"))
        {
            return "Invalid clause(s) in filter string: only AND joins clauses, OR is not supported";
        }

        return token.Kind switch
        {
            SearchTokenKind.Semicolon => "a filter is a single statement; ';' is not supported",
            SearchTokenKind.LeftParenthesis or SearchTokenKind.RightParenthesis => "parentheses are not supported",
            _ => "expected AND or the end of the filter after a clause",
        };
    }

    private static SearchClause ParseClause(string filter, List<SearchToken> tokens, ref int index, SearchGrammar grammar)
    {
        var identifier = tokens[index++];
        var (kind, rule) = ResolveIdentifier(filter, identifier, grammar);
        var comparatorToken = tokens[index];
        var comparator = ParseComparator(filter, tokens, ref index);
        var subject = Describe(kind, identifier.Text);
        if ((rule.Comparators & comparator) == 0)
        {
            var last = tokens[index - 1];
            throw SearchSyntax.Error(
                SearchTextKind.Filter,
                filter,
                comparatorToken.Position,
                filter[comparatorToken.Position..(last.Position + last.Length)],
                $"Invalid comparator for {subject}; it accepts {SearchComparators.Describe(rule.Comparators)}");
        }

        var value = ParseValue(filter, tokens, ref index, comparator, rule, subject);
        var key = kind is SearchIdentifierKind.Metric or SearchIdentifierKind.Param or SearchIdentifierKind.Tag ? identifier.Text : rule.Field;
        return new SearchClause(kind, key, comparator, value, identifier.Position);
    }

    private static string Describe(SearchIdentifierKind kind, string key) => $"{SearchGrammar.KindName(kind)} '{key}'";

    private static (SearchIdentifierKind Kind, SearchFieldRule Rule) ResolveIdentifier(string filter, SearchToken token, SearchGrammar grammar)
    {
        if (token.Kind is SearchTokenKind.LeftParenthesis or SearchTokenKind.RightParenthesis)
        {
            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, "Invalid clause(s) in filter string: parentheses are not supported");
        }

        if (token.IsReservedWord)
        {
            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, "Invalid clause(s) in filter string: expected an identifier such as metrics.rmse, got a keyword");
        }

        if (token.Kind is not (SearchTokenKind.Identifier or SearchTokenKind.DoubleQuotedString))
        {
            var what = token.Kind == SearchTokenKind.End ? "the filter ends where a clause should start" : "expected an identifier such as metrics.rmse or params.`my key`";
            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, what);
        }

        var entity = token.Entity ?? string.Empty;
        if (!grammar.TryGetEntity(entity, out var kind))
        {
            throw SearchSyntax.Error(
                SearchTextKind.Filter, filter, token, $"Invalid entity type '{entity}'; {grammar.Subject} accept {grammar.DescribeEntities()}");
        }

        SearchFieldRule? rule;
        switch (kind)
        {
            case SearchIdentifierKind.Attribute:
                if (!grammar.Attributes.TryGetValue(token.Text, out rule))
                {
                    throw SearchSyntax.Error(
                        SearchTextKind.Filter, filter, token,
                        $"Invalid attribute key '{token.Text}'; {grammar.Subject} accept the attributes {string.Join(", ", grammar.Attributes.Keys.Order(StringComparer.Ordinal))}");
                }

                break;
            case SearchIdentifierKind.Dataset:
                if (!grammar.DatasetFields.TryGetValue(token.Text, out rule))
                {
                    throw SearchSyntax.Error(
                        SearchTextKind.Filter, filter, token,
                        $"Invalid dataset key '{token.Text}'; datasets accept {string.Join(", ", grammar.DatasetFields.Keys.Order(StringComparer.Ordinal))}");
                }

                break;
            default:
                rule = grammar.KeyedRule(kind);
                break;
        }

        return (kind, rule);
    }

    private static SearchComparator ParseComparator(string filter, List<SearchToken> tokens, ref int index)
    {
        var token = tokens[index++];
        if (token.Kind == SearchTokenKind.Operator)
        {
            var comparator = SearchComparators.FromOperator(token.Text);
            return comparator != SearchComparator.None
                ? comparator
                : throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, "Invalid comparator; use =, !=, >, >=, <, <=, LIKE, ILIKE, IN or NOT IN");
        }

        if (token.IsKeyword("LIKE"))
        {
            return SearchComparator.Like;
        }

        if (token.IsKeyword("ILIKE"))
        {
            return SearchComparator.ILike;
        }

        if (token.IsKeyword("IN"))
        {
            return SearchComparator.In;
        }

        if (token.IsKeyword("NOT"))
        {
            if (tokens[index].IsKeyword("IN"))
            {
                index++;
                return SearchComparator.NotIn;
            }

            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, "Invalid clause(s) in filter string: NOT is only supported in NOT IN");
        }

        if (token.IsKeyword("IS"))
        {
            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, "Invalid clause(s) in filter string: IS NULL and IS NOT NULL are not supported");
        }

        var problem = token.Kind == SearchTokenKind.End
            ? "the filter ends where a comparator should be"
            : "expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN); keys with spaces or symbols must be quoted with backticks";
        throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, problem);
    }

    private static SearchValue ParseValue(
        string filter, List<SearchToken> tokens, ref int index, SearchComparator comparator, SearchFieldRule rule, string subject)
    {
        var token = tokens[index++];
        if (token.Kind == SearchTokenKind.End)
        {
            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, $"the filter ends where the value for {subject} should be");
        }

        if ((comparator & SearchComparator.List) != 0)
        {
            if (token.Kind != SearchTokenKind.LeftParenthesis)
            {
                throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, $"expected a parenthesized list of quoted strings after IN for {subject}, as in ('a', 'b')");
            }

            return new SearchValue(0, null, ParseList(filter, tokens, ref index, subject));
        }

        if (token.Kind == SearchTokenKind.LeftParenthesis)
        {
            throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, "a list value is only allowed after IN or NOT IN; parentheses are not supported");
        }

        if (rule.ValueType == SearchValueType.Number)
        {
            return token.Kind == SearchTokenKind.Number
                ? new SearchValue(token.Number, null, null)
                : throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, $"Expected numeric value type for {subject}");
        }

        return IsString(token)
            ? new SearchValue(0, token.Text, null)
            : throw SearchSyntax.Error(SearchTextKind.Filter, filter, token, $"Expected a quoted string value for {subject}");
    }

    private static bool IsString(SearchToken token) =>
        token.Kind is SearchTokenKind.SingleQuotedString or SearchTokenKind.DoubleQuotedString;

    private static List<string> ParseList(string filter, List<SearchToken> tokens, ref int index, string subject)
    {
        var items = new List<string>();
        while (true)
        {
            var item = tokens[index++];
            if (!IsString(item))
            {
                throw SearchSyntax.Error(SearchTextKind.Filter, filter, item, $"expected a quoted string in the IN list of {subject}");
            }

            items.Add(item.Text);
            var separator = tokens[index++];
            if (separator.Kind == SearchTokenKind.RightParenthesis)
            {
                return items;
            }

            if (separator.Kind != SearchTokenKind.Comma)
            {
                throw SearchSyntax.Error(SearchTextKind.Filter, filter, separator, $"expected ',' or ')' in the IN list of {subject}");
            }
        }
    }
}
