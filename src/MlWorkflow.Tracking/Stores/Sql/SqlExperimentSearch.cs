using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>Experiment search in SQL: MLflow's filter grammar as a WHERE clause, its ordering as ORDER BY, a page as LIMIT/OFFSET.</summary>
internal static class SqlExperimentSearch
{
    /// <summary>Builds the query for one page, fetching one more row than the page so that the caller knows whether another follows.</summary>
    public static SqlQuery Build(SearchExperimentsRequest request, SqlDialect dialect, out int offset)
    {
        SearchPageToken.ValidateMaxResults(request.MaxResults);

        var clauses = SearchFilterParser.Parse(request.Filter, SearchGrammars.Experiments);
        var orderBy = SearchOrderByParser.Parse(request.OrderBy, SearchGrammars.Experiments);
        offset = SearchPageToken.Decode(request.PageToken);

        var query = new SqlQuery(dialect);
        var sql = query.Sql;
        sql.Append("SELECT e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time FROM experiments e WHERE ");
        sql.Append(request.ViewType switch
        {
            ViewType.ActiveOnly => "e.lifecycle_stage = 'active'",
            ViewType.DeletedOnly => "e.lifecycle_stage = 'deleted'",
            _ => "1 = 1",
        });
        foreach (var clause in clauses)
        {
            sql.Append(" AND ");
            if (clause.Kind == SearchIdentifierKind.Tag)
            {
                sql.Append("EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.\"key\" = ")
                    .Append(query.Parameter(clause.Key)).Append(" AND ")
                    .Append(query.TextCondition("t.value", clause.Comparator, clause.Value)).Append(')');
            }
            else if (clause.Key == "name")
            {
                sql.Append(query.TextCondition("e.name", clause.Comparator, clause.Value));
            }
            else
            {
                sql.Append(query.NumberCondition("e." + clause.Key, clause.Comparator, SqlQuery.Whole(clause.Value.Number)));
            }
        }

        IReadOnlyList<SearchOrderKey> keys = orderBy.Count == 0
            ? [new(SearchIdentifierKind.Attribute, "creation_time", false), new(SearchIdentifierKind.Attribute, "experiment_id", true)]
            : orderBy.Any(k => k.Key == "experiment_id") ? orderBy : [.. orderBy, new(SearchIdentifierKind.Attribute, "experiment_id", true)];
        sql.Append(" ORDER BY ");
        sql.AppendJoin(", ", keys.Select(k => k.Key switch
        {
            "name" => "e.name" + dialect.OrdinalCollation + (k.Ascending ? " ASC" : " DESC"),
            "experiment_id" => "e.experiment_id" + (k.Ascending ? " ASC" : " DESC"),
            _ => $"CASE WHEN e.{k.Key} IS NULL THEN 1 ELSE 0 END, e.{k.Key}" + (k.Ascending ? " ASC" : " DESC"),
        }));
        sql.Append(" LIMIT ").Append(query.Parameter((long)request.MaxResults + 1)).Append(" OFFSET ").Append(query.Parameter((long)offset));
        return query;
    }
}
