using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class RunSearchQueryFilterTests
{
    private static readonly RunSearchView Sample = new TestRun("0a1b2c3d4e5f60718293a4b5c6d7e8f9", 1_700_000_000_000)
    {
        EndTime = 1_700_000_500_000,
        RunName = "sweep-baseline",
        Status = RunStatus.Finished,
        UserId = "alice",
    }
        .Metric("rmse", 0.5)
        .Metric("f1 score", 0.8)
        .Metric("m/b", -3)
        .Metric("nan", double.NaN)
        .Metric("inf", double.PositiveInfinity)
        .Param("model", "LogisticRegression")
        .Param("my-param", "a.b")
        .Param("depth", "5")
        .Tag("mlflow.source.type", "LOCAL")
        .Tag("mlflow.runName", "sweep-baseline")
        .Tag("extra key", "It's here")
        .Dataset("iris", "abc123", "training")
        .Dataset("wine", "def456")
        .Build();

    [TestCase("", true)]
    [TestCase("   ", true)]
    [TestCase("metrics.rmse = 0.5", true)]
    [TestCase("metrics.rmse != 0.5", false)]
    [TestCase("metrics.rmse > 0.4", true)]
    [TestCase("metrics.rmse > 0.5", false)]
    [TestCase("metrics.rmse >= 0.5", true)]
    [TestCase("metrics.rmse < 0.5", false)]
    [TestCase("metrics.rmse <= 0.5", true)]
    [TestCase("metrics.rmse < 1", true)]
    [TestCase("metric.rmse = 5e-1", true)]
    [TestCase("metrics.rmse = +.5", true)]
    [TestCase("metrics.rmse>0.4 and metrics.rmse<0.6", true)]
    [TestCase("metrics.`f1 score` >= 0.8", true)]
    [TestCase("metrics.\"f1 score\" >= 0.8", true)]
    [TestCase("metrics.`m/b` = -3", true)]
    [TestCase("metrics.`m/b` > -3.5E0", true)]
    [TestCase("metrics.inf > 1e308", true)]
    [TestCase("metrics.missing != 1", false)]
    [TestCase("metrics.missing < 1", false)]
    [TestCase("metrics.nan != 1", false)]
    [TestCase("metrics.nan = 1", false)]
    [TestCase("metrics.nan < 1", false)]
    [TestCase("metrics.nan > 1", false)]
    public void Metrics_compare_the_latest_value_as_a_number(string filter, bool expected) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(Sample), Is.EqualTo(expected));

    [TestCase("params.model = 'LogisticRegression'", true)]
    [TestCase("params.model = \"LogisticRegression\"", true)]
    [TestCase("params.model = 'logisticregression'", false)]
    [TestCase("params.model != 'LogisticRegression'", false)]
    [TestCase("params.model != 'rf'", true)]
    [TestCase("params.model LIKE 'Logistic%'", true)]
    [TestCase("params.model LIKE 'logistic%'", false)]
    [TestCase("params.model ILIKE 'logistic%'", true)]
    [TestCase("params.model like '%Regress%'", true)]
    [TestCase("params.model LIKE 'Regress%'", false)]
    [TestCase("params.depth = '5'", true)]
    [TestCase("param.depth = '5'", true)]
    [TestCase("parameter.depth = '5'", true)]
    [TestCase("parameters.depth = '5'", true)]
    [TestCase("params.`my-param` = 'a.b'", true)]
    [TestCase("params.`my-param` LIKE 'a_b'", true)]
    [TestCase("params.`my-param` LIKE 'a.b'", true)]
    [TestCase("params.missing != 'x'", false)]
    [TestCase("params.missing = 'x'", false)]
    [TestCase("params.missing LIKE '%'", false)]
    public void Params_compare_as_strings(string filter, bool expected) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(Sample), Is.EqualTo(expected));

    [TestCase("tags.`mlflow.source.type` = 'LOCAL'", true)]
    [TestCase("tags.mlflow.source.type = 'LOCAL'", true)]
    [TestCase("tag.mlflow.runName LIKE 'sweep-%'", true)]
    [TestCase("tags.mlflow.runName ILIKE 'SWEEP-%'", true)]
    [TestCase("tags.mlflow.runName LIKE 'SWEEP-%'", false)]
    [TestCase("tags.\"extra key\" = 'It''s here'", true)]
    [TestCase("tags.`extra key` = \"It's here\"", true)]
    [TestCase("tags.`extra key` != 'x'", true)]
    [TestCase("tags.missing != 'x'", false)]
    public void Tags_compare_as_strings(string filter, bool expected) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(Sample), Is.EqualTo(expected));

    [TestCase("attributes.status = 'FINISHED'", true)]
    [TestCase("status = 'FINISHED'", true)]
    [TestCase("attr.status != 'RUNNING'", true)]
    [TestCase("run.status LIKE 'FIN%'", true)]
    [TestCase("attribute.status ILIKE 'finished'", true)]
    [TestCase("attributes.status = 'finished'", false)]
    [TestCase("attributes.run_id = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'", true)]
    [TestCase("attributes.run_id IN ('0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'ffff')", true)]
    [TestCase("attributes.run_id IN ('ffff')", false)]
    [TestCase("attributes.run_id NOT IN ('ffff')", true)]
    [TestCase("attributes.run_id not in ('0a1b2c3d4e5f60718293a4b5c6d7e8f9')", false)]
    [TestCase("attributes.run_id LIKE '0a1b%'", true)]
    [TestCase("run_name = 'sweep-baseline'", true)]
    [TestCase("run_name ILIKE '%BASELINE%'", true)]
    [TestCase("`run name` = 'sweep-baseline'", true)]
    [TestCase("attributes.`Run name` = 'sweep-baseline'", true)]
    [TestCase("attributes.`Run Name` != 'sweep-baseline'", false)]
    [TestCase("user_id = 'alice'", true)]
    [TestCase("artifact_uri LIKE 'file:///mlruns/1/%/artifacts'", true)]
    [TestCase("attributes.start_time = 1700000000000", true)]
    [TestCase("attributes.start_time > 1700000000000", false)]
    [TestCase("start_time >= 1.7e12", true)]
    [TestCase("created < 1700000000001", true)]
    [TestCase("Created != 1700000000000", false)]
    [TestCase("end_time = 1700000500000", true)]
    [TestCase("end_time > 1700000000000", true)]
    public void Attributes_compare_by_type(string filter, bool expected) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(Sample), Is.EqualTo(expected));

    [Test]
    public void Run_id_lists_drop_entries_that_are_not_lowercase()
    {
        var upper = "0A1B2C3D4E5F60718293A4B5C6D7E8F9";
        var run = new TestRun(upper).Build();
        Assert.That(RunSearchQuery.Parse($"run_id = '{upper}'", null).Matches(run), Is.True);
        Assert.That(RunSearchQuery.Parse($"run_id IN ('{upper}')", null).Matches(run), Is.False);
        Assert.That(RunSearchQuery.Parse($"run_id NOT IN ('{upper}')", null).Matches(run), Is.True);
    }

    [TestCase(">", 0)]
    [TestCase(">=", 0)]
    [TestCase("<", 0)]
    [TestCase("=", 0)]
    [TestCase("!=", 0)]
    public void A_run_without_end_time_fails_every_end_time_clause(string comparator, long value)
    {
        var running = new TestRun("aa") { EndTime = null, Status = RunStatus.Running }.Build();
        Assert.That(RunSearchQuery.Parse($"end_time {comparator} {value}", null).Matches(running), Is.False);
    }

    [TestCase("datasets.name = 'iris'", true)]
    [TestCase("dataset.name = 'wine'", true)]
    [TestCase("dataset.name = 'mnist'", false)]
    [TestCase("dataset.name != 'iris'", true)]
    [TestCase("dataset.name IN ('mnist', 'wine')", true)]
    [TestCase("dataset.name NOT IN ('iris', 'wine')", false)]
    [TestCase("dataset.digest LIKE 'abc%'", true)]
    [TestCase("dataset.digest ILIKE 'DEF%'", true)]
    [TestCase("dataset.context = 'training'", true)]
    [TestCase("dataset.context != 'training'", false)]
    [TestCase("dataset.context = 'eval'", false)]
    [TestCase("dataset.context = 'training' AND dataset.name = 'iris'", true)]
    public void Dataset_clauses_hold_when_any_input_matches(string filter, bool expected) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(Sample), Is.EqualTo(expected));

    [TestCase("dataset.name = 'iris'")]
    [TestCase("dataset.name != 'iris'")]
    [TestCase("dataset.context NOT IN ('x')")]
    public void A_run_without_inputs_fails_every_dataset_clause(string filter) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(new TestRun("bb").Build()), Is.False);

    [TestCase("metrics.rmse < 1 and params.model = 'LogisticRegression'", true)]
    [TestCase("metrics.rmse < 1 AND params.model = 'rf'", false)]
    [TestCase("metrics.rmse < 1 And params.model = 'LogisticRegression' aNd tags.mlflow.source.type = 'LOCAL'", true)]
    [TestCase("metrics.rmse < 1 and", true)]
    [TestCase("metrics.rmse < 1 AND ", true)]
    public void Clauses_are_joined_by_and(string filter, bool expected) =>
        Assert.That(RunSearchQuery.Parse(filter, null).Matches(Sample), Is.EqualTo(expected));

    [Test]
    public void The_keys_a_query_names_are_listed_for_the_store()
    {
        var query = RunSearchQuery.Parse(
            "metrics.a < 1 and params.p = 'x' and tags.`t 1` = 'y' and metrics.a > 0",
            ["metrics.b DESC", "params.q", "tags.t2", "start_time"]);
        Assert.That(query.MetricKeys, Is.EquivalentTo(new[] { "a", "b" }));
        Assert.That(query.ParamKeys, Is.EquivalentTo(new[] { "p", "q" }));
        Assert.That(query.TagKeys, Is.EquivalentTo(new[] { "t 1", "t2" }));
        Assert.That(query.UsesDatasets, Is.False);
        Assert.That(RunSearchQuery.Parse("dataset.name = 'x'", null).UsesDatasets, Is.True);
    }
}
