using System.Globalization;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// Run search in SQL (mlflow-protocol 6.8): each metric, param and tag clause joins its row by (key, run), attribute clauses
/// compare columns of <c>runs</c>, dataset clauses are EXISTS subqueries; ordering puts missing values last (and NaN metrics
/// before them), then <c>start_time DESC, run_uuid</c>; a page is LIMIT/OFFSET. No run is loaded to be filtered.
/// </summary>
internal static class SqlRunSearch
{
    /// <summary>Builds the query for one page of run infos, one row more than the page so that the caller knows whether another follows.</summary>
    public static SqlQuery Build(SearchRunsRequest request, IReadOnlyList<SearchClause> clauses, IReadOnlyList<SearchOrderKey> orderBy, SqlDialect dialect, int offset)
    {
        var query = new SqlQuery(dialect);
        var sql = query.Sql;
        sql.Append("SELECT r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage FROM runs r");
        var where = new List<string>
        {
            $"r.experiment_id IN ({string.Join(", ", request.ExperimentIds.Distinct(StringComparer.Ordinal).Select(id => query.Parameter(long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1L)))})",
        };
        if (request.RunViewType != ViewType.All)
        {
            where.Add(request.RunViewType == ViewType.DeletedOnly ? "r.lifecycle_stage = 'deleted'" : "r.lifecycle_stage = 'active'");
        }

        var alias = 0;
        foreach (var clause in clauses)
        {
            var a = "f" + (alias++).ToString(CultureInfo.InvariantCulture);
            switch (clause.Kind)
            {
                case SearchIdentifierKind.Metric:
                    // MLflow compares the stored value: a NaN is stored as 0 (mlflow-protocol 6.8).
                    sql.Append(CultureInfo.InvariantCulture, $" JOIN latest_metrics {a} ON {a}.run_uuid = r.run_uuid AND {a}.\"key\" = {query.Parameter(clause.Key)} AND ")
                        .Append(query.NumberCondition(a + ".value", clause.Comparator, clause.Value.Number));
                    break;
                case SearchIdentifierKind.Param:
                    sql.Append(CultureInfo.InvariantCulture, $" JOIN params {a} ON {a}.run_uuid = r.run_uuid AND {a}.\"key\" = {query.Parameter(clause.Key)} AND ")
                        .Append(query.TextCondition(a + ".value", clause.Comparator, clause.Value));
                    break;
                case SearchIdentifierKind.Tag:
                    sql.Append(CultureInfo.InvariantCulture, $" JOIN tags {a} ON {a}.run_uuid = r.run_uuid AND {a}.\"key\" = {query.Parameter(clause.Key)} AND ")
                        .Append(query.TextCondition(a + ".value", clause.Comparator, clause.Value));
                    break;
                case SearchIdentifierKind.Dataset:
                    where.Add(DatasetCondition(query, clause));
                    break;
                default:
                    where.Add(AttributeCondition(query, clause));
                    break;
            }
        }

        var orderTerms = new List<string>();
        foreach (var key in orderBy)
        {
            var direction = key.Ascending ? " ASC" : " DESC";
            var a = "o" + (alias++).ToString(CultureInfo.InvariantCulture);
            switch (key.Kind)
            {
                case SearchIdentifierKind.Metric:
                    sql.Append(CultureInfo.InvariantCulture, $" LEFT JOIN latest_metrics {a} ON {a}.run_uuid = r.run_uuid AND {a}.\"key\" = {query.Parameter(key.Key)}");
                    orderTerms.Add($"CASE WHEN {a}.is_nan = {dialect.True} THEN 1 WHEN {a}.value IS NULL THEN 2 ELSE 0 END");
                    orderTerms.Add(a + ".value" + direction);
                    break;
                case SearchIdentifierKind.Param or SearchIdentifierKind.Tag:
                    sql.Append(CultureInfo.InvariantCulture, $" LEFT JOIN {(key.Kind == SearchIdentifierKind.Param ? "params" : "tags")} {a} ON {a}.run_uuid = r.run_uuid AND {a}.\"key\" = {query.Parameter(key.Key)}");
                    orderTerms.Add($"CASE WHEN {a}.value IS NULL THEN 1 ELSE 0 END");
                    orderTerms.Add(a + ".value" + dialect.OrdinalCollation + direction);
                    break;
                default:
                    var (column, text) = AttributeColumn(key.Key);
                    orderTerms.Add($"CASE WHEN {column} IS NULL THEN 1 ELSE 0 END");
                    orderTerms.Add(column + (text ? dialect.OrdinalCollation : "") + direction);
                    break;
            }
        }

        orderTerms.Add("r.start_time DESC");
        orderTerms.Add("r.run_uuid" + dialect.OrdinalCollation + " ASC");
        sql.Append(" WHERE ").AppendJoin(" AND ", where);
        sql.Append(" ORDER BY ").AppendJoin(", ", orderTerms);
        sql.Append(" LIMIT ").Append(query.Parameter((long)request.MaxResults + 1)).Append(" OFFSET ").Append(query.Parameter((long)offset));
        return query;
    }

    private static (string Column, bool Text) AttributeColumn(string field) => RunAttributes.FromField(field) switch
    {
        RunAttribute.RunId => ("r.run_uuid", true),
        RunAttribute.RunName => ("r.name", true),
        RunAttribute.Status => ("r.status", true),
        RunAttribute.UserId => ("r.user_id", true),
        RunAttribute.ArtifactUri => ("r.artifact_uri", true),
        RunAttribute.StartTime => ("r.start_time", false),
        _ => ("r.end_time", false),
    };

    private static string AttributeCondition(SqlQuery query, SearchClause clause)
    {
        var (column, text) = AttributeColumn(clause.Key);
        if (!text)
        {
            return query.NumberCondition(column, clause.Comparator, SqlQuery.Whole(clause.Value.Number));
        }

        var value = clause.Value;
        if (RunAttributes.FromField(clause.Key) == RunAttribute.RunId && value.List is not null)
        {
            // MLflow drops list entries that are not all lowercase: run ids are lowercase hex.
            value = value with { List = value.List.Where(id => string.Equals(id, id.ToLowerInvariant(), StringComparison.Ordinal)).ToArray() };
        }

        return query.TextCondition(column, clause.Comparator, value);
    }

    private static string DatasetCondition(SqlQuery query, SearchClause clause)
    {
        const string Inputs = "FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id WHERE i.destination_type = 'RUN' AND i.source_type = 'DATASET' AND i.destination_id = r.run_uuid";
        return clause.Key switch
        {
            "name" => $"EXISTS (SELECT 1 {Inputs} AND {query.TextCondition("d.name", clause.Comparator, clause.Value)})",
            "digest" => $"EXISTS (SELECT 1 {Inputs} AND {query.TextCondition("d.digest", clause.Comparator, clause.Value)})",
            _ => $"EXISTS (SELECT 1 {Inputs} AND EXISTS (SELECT 1 FROM input_tags it WHERE it.input_uuid = i.input_uuid AND it.name = '{RunClauseMatcher.DatasetContextTag}' AND {query.TextCondition("it.value", clause.Comparator, clause.Value)}))",
        };
    }
}
