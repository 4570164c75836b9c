using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class SearchFilterParserTests
{
    [TestCase("metrics.rmse < 1", "Metric", "rmse", "Less")]
    [TestCase("metric.rmse >= 1", "Metric", "rmse", "GreaterOrEqual")]
    [TestCase("metrics.`f1 score` > 1", "Metric", "f1 score", "Greater")]
    [TestCase("`metrics`.`a b` <= 1", "Metric", "a b", "LessOrEqual")]
    [TestCase("metrics.\"m/b\" != 1", "Metric", "m/b", "NotEqual")]
    [TestCase("metrics.a.b.c = 1", "Metric", "a.b.c", "Equal")]
    [TestCase("metrics.1st = 1", "Metric", "1st", "Equal")]
    [TestCase("params.p LIKE 'x'", "Param", "p", "Like")]
    [TestCase("param.p like 'x'", "Param", "p", "Like")]
    [TestCase("parameter.p IlIkE 'x'", "Param", "p", "ILike")]
    [TestCase("parameters.p = 'x'", "Param", "p", "Equal")]
    [TestCase("`params`.p = 'x'", "Param", "p", "Equal")]
    [TestCase("tags.mlflow.runName = 'x'", "Tag", "mlflow.runName", "Equal")]
    [TestCase("tag.`mlflow.source.type` != 'x'", "Tag", "mlflow.source.type", "NotEqual")]
    [TestCase("tags.\"extra key\" = 'x'", "Tag", "extra key", "Equal")]
    [TestCase("attributes.status = 'x'", "Attribute", "status", "Equal")]
    [TestCase("attribute.user_id = 'x'", "Attribute", "user_id", "Equal")]
    [TestCase("attr.artifact_uri = 'x'", "Attribute", "artifact_uri", "Equal")]
    [TestCase("run.run_id = 'x'", "Attribute", "run_id", "Equal")]
    [TestCase("run_id in ('x')", "Attribute", "run_id", "In")]
    [TestCase("run_id NoT iN ('x')", "Attribute", "run_id", "NotIn")]
    [TestCase("`run name` = 'x'", "Attribute", "run_name", "Equal")]
    [TestCase("`Run name` = 'x'", "Attribute", "run_name", "Equal")]
    [TestCase("attributes.`Run Name` = 'x'", "Attribute", "run_name", "Equal")]
    [TestCase("\"run_name\" = 'x'", "Attribute", "run_name", "Equal")]
    [TestCase("created > 1", "Attribute", "start_time", "Greater")]
    [TestCase("attributes.Created > 1", "Attribute", "start_time", "Greater")]
    [TestCase("end_time < 1", "Attribute", "end_time", "Less")]
    [TestCase("dataset.name = 'x'", "Dataset", "name", "Equal")]
    [TestCase("datasets.digest IN ('x')", "Dataset", "digest", "In")]
    [TestCase("datasets.context NOT IN ('x')", "Dataset", "context", "NotIn")]
    public void A_clause_resolves_entity_aliases_and_keys(string filter, string kind, string key, string comparator)
    {
        var clause = SearchFilterParser.Parse(filter, SearchGrammars.Runs).Single();
        Assert.That(
            (clause.Kind, clause.Key, clause.Comparator),
            Is.EqualTo((Enum.Parse<SearchIdentifierKind>(kind), key, Enum.Parse<SearchComparator>(comparator))));
    }

    [TestCase("1", 1.0)]
    [TestCase("-1", -1.0)]
    [TestCase("+2.5", 2.5)]
    [TestCase(".5", 0.5)]
    [TestCase("5.", 5.0)]
    [TestCase("1e3", 1000.0)]
    [TestCase("-1.5E-3", -0.0015)]
    [TestCase("2e+2", 200.0)]
    public void Numbers_take_sign_fraction_and_exponent(string text, double expected)
    {
        var clause = SearchFilterParser.Parse("metrics.m < " + text, SearchGrammars.Runs).Single();
        Assert.That(clause.Value.Number, Is.EqualTo(expected));
    }

    [TestCase("params.p = 'a b'", "a b")]
    [TestCase("params.p = \"a b\"", "a b")]
    [TestCase("params.p = ''", "")]
    [TestCase("params.p = 'it''s'", "it's")]
    [TestCase("params.p = \"say \"\"hi\"\"\"", "say \"hi\"")]
    [TestCase("params.p = 'a \"quoted\" word'", "a \"quoted\" word")]
    [TestCase("params.p = 'AND OR ( ) ;'", "AND OR ( ) ;")]
    public void Strings_take_single_or_double_quotes(string filter, string expected) =>
        Assert.That(SearchFilterParser.Parse(filter, SearchGrammars.Runs).Single().Value.Text, Is.EqualTo(expected));

    [Test]
    public void Lists_keep_their_entries_in_order()
    {
        var clause = SearchFilterParser.Parse("run_id IN ('a', \"b\",'c')", SearchGrammars.Runs).Single();
        Assert.That(clause.Value.List, Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [TestCase("metrics.a < 1 and params.b = 'x' AND tags.c LIKE 'y%' and", 3)]
    [TestCase("metrics.a<1 AND metrics.b>=2", 2)]
    [TestCase("\tmetrics.a < 1\n AND\r\n metrics.b > 2  ", 2)]
    [TestCase("", 0)]
    [TestCase("   ", 0)]
    [TestCase(null, 0)]
    public void Clauses_are_counted(string? filter, int count) =>
        Assert.That(SearchFilterParser.Parse(filter, SearchGrammars.Runs), Has.Count.EqualTo(count));

    // Each bad filter with the token the message must point at and its 0-based position.
    [TestCase("metrics.rmse < 1 OR params.a = 'b'", "OR", 17, "OR is not supported")]
    [TestCase("metrics.rmse < 1 or params.a = 'b'", "or", 17, "OR is not supported")]
    [TestCase("metrics.a < 1 AND params.b = 'x' OR tags.c = 'y'", "OR", 33, "OR is not supported")]
    [TestCase("(metrics.rmse < 1)", "(", 0, "parentheses")]
    [TestCase("metrics.rmse < 1 AND (params.a = 'b')", "(", 21, "parentheses")]
    [TestCase("params.a = ('x')", "(", 11, "only allowed after IN")]
    [TestCase("params.a IS NULL", "IS", 9, "IS NULL")]
    [TestCase("params.a IS NOT NULL", "IS", 9, "IS NULL")]
    [TestCase("metrics.rmse < 1; DROP TABLE runs", ";", 16, "single statement")]
    [TestCase("metrics.rmse = '1'", "'1'", 15, "Expected numeric value type for metric 'rmse'")]
    [TestCase("metrics.rmse = nan", "nan", 15, "Expected numeric value type")]
    [TestCase("params.a = 1", "1", 11, "Expected a quoted string value for param 'a'")]
    [TestCase("params.a = NULL", "NULL", 11, "Expected a quoted string value")]
    [TestCase("tags.t = 2", "2", 9, "Expected a quoted string value for tag 't'")]
    [TestCase("attributes.status = 1", "1", 20, "Expected a quoted string value for attribute 'status'")]
    [TestCase("attributes.start_time > '1'", "'1'", 24, "Expected numeric value type for attribute 'start_time'")]
    [TestCase("attributes.status IN ('A')", "IN", 18, "Invalid comparator for attribute 'status'")]
    [TestCase("params.a IN ('A')", "IN", 9, "Invalid comparator for param 'a'")]
    [TestCase("tags.a NOT IN ('A')", "NOT IN", 7, "Invalid comparator for tag 'a'")]
    [TestCase("metrics.a LIKE 'x'", "LIKE", 10, "Invalid comparator for metric 'a'; it accepts =, !=, >, >=, <, <=")]
    [TestCase("params.a > 'x'", ">", 9, "Invalid comparator for param 'a'")]
    [TestCase("start_time LIKE '1%'", "LIKE", 11, "Invalid comparator for attribute 'start_time'")]
    [TestCase("datasets.name > 'x'", ">", 14, "Invalid comparator for dataset 'name'")]
    [TestCase("metrics.a <> 1", "<>", 10, "Invalid comparator")]
    [TestCase("metrics.a == 1", "==", 10, "Invalid comparator")]
    [TestCase("params.a NOT LIKE 'x'", "NOT", 9, "NOT is only supported in NOT IN")]
    [TestCase("NOT params.a = 'x'", "NOT", 0, "keyword")]
    [TestCase("attributes.foo = 'x'", "attributes.foo", 0, "Invalid attribute key 'foo'")]
    [TestCase("foo = 'x'", "foo", 0, "Invalid attribute key 'foo'")]
    [TestCase("lifecycle_stage = 'active'", "lifecycle_stage", 0, "Invalid attribute key 'lifecycle_stage'")]
    [TestCase("metricz.a = 1", "metricz.a", 0, "Invalid entity type 'metricz'")]
    [TestCase("METRICS.a = 1", "METRICS.a", 0, "Invalid entity type 'METRICS'")]
    [TestCase("datasets.foo = 'x'", "datasets.foo", 0, "Invalid dataset key 'foo'")]
    [TestCase("params.my-param = 'x'", "-", 9, "must be quoted")]
    [TestCase("metrics.a < 1 & metrics.b < 1", "&", 14, "unexpected character")]
    [TestCase("metrics.a < 1 metrics.b < 2", "metrics.b", 14, "expected AND")]
    [TestCase("metrics.a <", "end of input", 11, "the filter ends")]
    [TestCase("metrics.a", "end of input", 9, "the filter ends where a comparator")]
    [TestCase("AND metrics.a < 1", "AND", 0, "keyword")]
    [TestCase("metrics.a < 1 AND AND metrics.b < 2", "AND", 18, "keyword")]
    [TestCase("params.a = 'unterminated", "'unterminated", 11, "unterminated quoted text")]
    [TestCase("params.`a = 'x'", "`a = 'x'", 7, "unterminated quoted text")]
    [TestCase("metrics.a < 1x", "1x", 12, "malformed number")]
    [TestCase("metrics.a < 1.2.3", "1.2.3", 12, "malformed number")]
    [TestCase("metrics. < 1", "metrics.", 0, "a key is missing")]
    [TestCase("run_id IN 'a'", "'a'", 10, "parenthesized list")]
    [TestCase("run_id IN ('a' 'b')", "'b'", 15, "expected ',' or ')'")]
    [TestCase("run_id IN ()", ")", 11, "expected a quoted string")]
    [TestCase("run_id IN ('a',)", ")", 15, "expected a quoted string")]
    [TestCase("run_id IN (1, 2)", "1", 11, "expected a quoted string")]
    [TestCase("run_id IN ('a'", "end of input", 14, "expected ',' or ')'")]
    public void A_bad_filter_is_rejected_with_the_token_and_its_position(string filter, string token, int position, string problem)
    {
        var error = Assert.Throws<MlflowException>(() => SearchFilterParser.Parse(filter, SearchGrammars.Runs));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.StartWith($"Invalid filter string \"{filter}\": "));
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.EndWith($"(at position {position}: '{token}')."));
    }

    [Test]
    public void Run_search_parse_raises_the_same_errors()
    {
        var error = Assert.Throws<MlflowException>(() => RunSearchQuery.Parse("metrics.a < 1 OR metrics.b > 1", null));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.HttpStatus, Is.EqualTo(400));
        Assert.That(error.Message, Does.Contain("Invalid clause(s) in filter string"));
    }
}
