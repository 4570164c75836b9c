using System.Globalization;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Stores.Sql;

/// <summary>
/// Registry searches in SQL (MLflow's <c>registered-models/search</c> and <c>model-versions/search</c> grammar): each tag clause
/// joins its row by key, attribute clauses compare columns, the order is the parsed keys then the tie-breakers, a page is
/// LIMIT/OFFSET. Only the page's models and versions are read afterwards, with their tags and aliases.
/// </summary>
internal static class SqlRegistrySearch
{
    /// <summary>The names of one page of registered models, one row more than the page so that the caller knows whether another follows.</summary>
    public static SqlQuery Models(RegisteredModelSearchQuery search, SqlDialect dialect, int maxResults, int offset)
    {
        var query = new SqlQuery(dialect);
        var sql = query.Sql.Append("SELECT m.name FROM registered_models m");
        var where = new List<string>();
        var alias = 0;
        foreach (var clause in search.Clauses)
        {
            if (clause.Kind == SearchIdentifierKind.Tag)
            {
                // A missing tag fails its clause, != included; a NULL value reads as the empty text, as the store returns it.
                var a = "t" + (alias++).ToString(CultureInfo.InvariantCulture);
                sql.Append(CultureInfo.InvariantCulture, $" JOIN registered_model_tags {a} ON {a}.name = m.name AND {a}.\"key\" = {query.Parameter(clause.Key)} AND ")
                    .Append(query.TextCondition($"COALESCE({a}.value, '')", clause.Comparator, clause.Value));
            }
            else
            {
                where.Add(query.TextCondition("m.name", clause.Comparator, clause.Value));
            }
        }

        AppendPage(query, where, search.OrderKeys.Select(key => (ModelColumn(key.Key), key.Key == "name", key.Ascending)), maxResults, offset);
        return query;
    }

    /// <summary>The (name, version) of one page of live model versions, one row more than the page.</summary>
    public static SqlQuery Versions(ModelVersionSearchQuery search, SqlDialect dialect, string deletedStage, int maxResults, int offset)
    {
        var query = new SqlQuery(dialect);
        var sql = query.Sql.Append("SELECT v.name, v.version FROM model_versions v");
        var where = new List<string> { $"(v.current_stage IS NULL OR v.current_stage != {query.Parameter(deletedStage)})" };
        var alias = 0;
        foreach (var clause in search.Clauses)
        {
            if (clause.Kind == SearchIdentifierKind.Tag)
            {
                var a = "t" + (alias++).ToString(CultureInfo.InvariantCulture);
                sql.Append(CultureInfo.InvariantCulture, $" JOIN model_version_tags {a} ON {a}.name = v.name AND {a}.version = v.version AND {a}.\"key\" = {query.Parameter(clause.Key)} AND ")
                    .Append(query.TextCondition($"COALESCE({a}.value, '')", clause.Comparator, clause.Value));
                continue;
            }

            where.Add(clause.Key switch
            {
                "version_number" => query.NumberCondition("v.version", clause.Comparator, clause.Value.Number),
                "name" => query.TextCondition("v.name", clause.Comparator, clause.Value),

                // A version without a run id fails every run_id clause: NULL compares to nothing in SQL.
                "run_id" => query.TextCondition("v.run_id", clause.Comparator, clause.Value),
                _ => query.TextCondition("COALESCE(v.source, '')", clause.Comparator, clause.Value),
            });
        }

        AppendPage(query, where, search.OrderKeys.Select(key => (VersionColumn(key.Key), key.Key == "name", key.Ascending)), maxResults, offset);
        return query;
    }

    private static void AppendPage(SqlQuery query, List<string> where, IEnumerable<(string Column, bool Text, bool Ascending)> order, int maxResults, int offset)
    {
        var sql = query.Sql;
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" ORDER BY ").AppendJoin(", ", order.Select(o => o.Column + (o.Text ? query.Dialect.OrdinalCollation : "") + (o.Ascending ? " ASC" : " DESC")));
        sql.Append(" LIMIT ").Append(query.Parameter(maxResults + 1L)).Append(" OFFSET ").Append(query.Parameter((long)offset));
    }

    // Timestamps read as 0 when NULL (as the store returns them), so they sort as 0 on every database.
    private static string ModelColumn(string key) => key switch
    {
        "name" => "m.name",
        "creation_timestamp" => "COALESCE(m.creation_time, 0)",
        _ => "COALESCE(m.last_updated_time, 0)",
    };

    private static string VersionColumn(string key) => key switch
    {
        "name" => "v.name",
        "version_number" => "v.version",
        "creation_timestamp" => "COALESCE(v.creation_time, 0)",
        _ => "COALESCE(v.last_updated_time, 0)",
    };
}
