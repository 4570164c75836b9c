namespace MlWorkflow.Tracking.Search;

/// <summary>One compiled filter clause over runs; evaluating it allocates nothing.</summary>
internal sealed class RunClauseMatcher
{
    /// <summary>The input tag that holds a dataset input's context (<c>training</c>, <c>eval</c>…).</summary>
    public const string DatasetContextTag = "mlflow.data.context";

    private readonly SearchIdentifierKind kind;
    private readonly string key;
    private readonly RunAttribute attribute;
    private readonly SearchComparator comparator;
    private readonly double number;
    private readonly StringCondition? text;

    /// <summary>Compiles a clause validated by <see cref="SearchGrammars.Runs"/>.</summary>
    public RunClauseMatcher(SearchClause clause)
    {
        kind = clause.Kind;
        key = clause.Key;
        comparator = clause.Comparator;
        number = clause.Value.Number;
        var value = clause.Value;
        if (kind == SearchIdentifierKind.Attribute)
        {
            attribute = RunAttributes.FromField(clause.Key);
            if (attribute == RunAttribute.RunId && value.List is not null)
            {
                // MLflow drops list entries that are not all lowercase: run ids are lowercase hex.
                value = value with { List = value.List.Where(id => string.Equals(id, id.ToLowerInvariant(), StringComparison.Ordinal)).ToArray() };
            }
        }

        if (kind != SearchIdentifierKind.Metric && !(kind == SearchIdentifierKind.Attribute && RunAttributes.IsNumeric(attribute)))
        {
            text = new StringCondition(comparator, value);
        }
    }

    /// <summary>Whether the run passes the clause; a missing metric, param, tag or end time fails it.</summary>
    public bool Matches(IRunSearchView run)
    {
        switch (kind)
        {
            case SearchIdentifierKind.Metric:
                return run.TryGetMetric(key, out var metric) && NumberComparison.Matches(metric, comparator, number);
            case SearchIdentifierKind.Param:
                return run.TryGetParam(key, out var param) && text!.Matches(param);
            case SearchIdentifierKind.Tag:
                return run.TryGetTag(key, out var tag) && text!.Matches(tag);
            case SearchIdentifierKind.Dataset:
                return MatchesAnyDataset(run.DatasetInputs);
            default:
                if (text is not null)
                {
                    return text.Matches(RunAttributes.GetText(run.Info, attribute));
                }

                var time = RunAttributes.GetNumber(run.Info, attribute);
                return time.HasValue && NumberComparison.Matches(time.Value, comparator, number);
        }
    }

    private bool MatchesAnyDataset(IReadOnlyList<DatasetInput> inputs)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var value = key switch
            {
                "name" => input.Dataset.Name,
                "digest" => input.Dataset.Digest,
                _ => FindContext(input.Tags),
            };
            if (value is not null && text!.Matches(value))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FindContext(IReadOnlyList<InputTag> tags)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i].Key == DatasetContextTag)
            {
                return tags[i].Value;
            }
        }

        return null;
    }
}
