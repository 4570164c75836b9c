using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class ExperimentSearchQueryTests
{
    private static readonly Experiment Sales = Create("1", "sales-forecast", 1_000, 5_000, ("team", "ml"), ("extra-key", "value"));
    private static readonly Experiment Churn = Create("2", "churn", 3_000, null, ("team", "bi"));
    private static readonly Experiment Legacy = Create("10", "test-legacy", null, null);
    private static readonly Experiment Default = Create("0", "Default", 3_000, 3_000);

    [TestCase("", "0,1,10,2")]
    [TestCase("name = 'churn'", "2")]
    [TestCase("attribute.name != 'churn'", "0,1,10")]
    [TestCase("name LIKE 'test-%'", "10")]
    [TestCase("name ILIKE '%FORECAST'", "1")]
    [TestCase("name LIKE '%FORECAST'", "")]
    [TestCase("tags.team = 'ml'", "1")]
    [TestCase("tag.team != 'ml'", "2")]
    [TestCase("tags.`extra-key` = 'value'", "1")]
    [TestCase("tags.team LIKE '%'", "1,2")]
    [TestCase("name LIKE '%' AND tags.team = 'ml'", "1")]
    [TestCase("creation_time > 1000", "0,2")]
    [TestCase("creation_time >= 1000", "0,1,2")]
    [TestCase("creation_time != 3000", "1")]
    [TestCase("last_update_time < 10000", "0,1")]
    [TestCase("attribute.last_update_time = 3000", "0")]
    public void Filters_on_name_times_and_tags(string filter, string expectedIds)
    {
        var query = ExperimentSearchQuery.Parse(filter, null);
        var ids = new[] { Default, Sales, Legacy, Churn }.Where(query.Matches).Select(e => e.ExperimentId);
        Assert.That(string.Join(",", ids.Order(StringComparer.Ordinal)), Is.EqualTo(expectedIds));
    }

    [TestCase("attributes.name = 'x'", "attributes.name", "Invalid entity type 'attributes'")]
    [TestCase("experiment_id = '1'", "experiment_id", "Invalid attribute key 'experiment_id'")]
    [TestCase("metrics.a < 1", "metrics.a", "Invalid entity type 'metrics'")]
    [TestCase("name IN ('a')", "IN", "Invalid comparator for attribute 'name'")]
    [TestCase("creation_time LIKE '1%'", "LIKE", "Invalid comparator for attribute 'creation_time'")]
    [TestCase("name = 'a' OR name = 'b'", "OR", "OR is not supported")]
    [TestCase("creation_time > 'yesterday'", "'yesterday'", "Expected numeric value type")]
    public void Bad_filters_are_rejected(string filter, string token, string problem)
    {
        var error = Assert.Throws<MlflowException>(() => ExperimentSearchQuery.Parse(filter, null));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain(problem));
        Assert.That(error.Message, Does.Contain($": '{token}')."));
    }

    [TestCase("tags.team")]
    [TestCase("run_id")]
    [TestCase("start_time DESC")]
    [TestCase("name DESC x")]
    public void Bad_order_by_is_rejected(string clause)
    {
        var error = Assert.Throws<MlflowException>(() => ExperimentSearchQuery.Parse(null, [clause]));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public void The_default_order_is_newest_first_then_id_as_a_string_with_missing_times_last() =>
        Assert.That(Sort(), Is.EqualTo(new[] { "0", "2", "1", "10" }));

    [TestCase("name", "0,2,1,10")]
    [TestCase("name DESC", "10,1,2,0")]
    [TestCase("creation_time", "1,2,0,10")]
    [TestCase("creation_time DESC", "2,0,1,10")]
    [TestCase("last_update_time DESC", "1,0,2,10")]
    [TestCase("last_update_time ASC", "0,1,2,10")]
    [TestCase("experiment_id", "0,1,10,2")]
    [TestCase("experiment_id DESC", "2,10,1,0")]
    [TestCase("attribute.name ASC", "0,2,1,10")]
    public void Order_by_adds_experiment_id_desc_as_the_tie_breaker(string clause, string expectedIds) =>
        Assert.That(string.Join(",", Sort(clause)), Is.EqualTo(expectedIds));

    [Test]
    public void Ties_on_the_order_by_key_fall_back_to_experiment_id_desc_unless_it_is_named()
    {
        var a = Create("1", "a", 5, 5);
        var b = Create("2", "b", 5, 5);
        var c = Create("3", "c", 5, 5);
        var experiments = new List<Experiment> { b, a, c };
        experiments.Sort(ExperimentSearchQuery.Parse(null, ["creation_time"]).Comparer);
        Assert.That(experiments.Select(e => e.ExperimentId), Is.EqualTo(new[] { "3", "2", "1" }));
        experiments.Sort(ExperimentSearchQuery.Parse(null, ["creation_time", "experiment_id ASC"]).Comparer);
        Assert.That(experiments.Select(e => e.ExperimentId), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    private static string[] Sort(params string[] orderBy)
    {
        var experiments = new List<Experiment> { Legacy, Sales, Default, Churn };
        experiments.Sort(ExperimentSearchQuery.Parse(null, orderBy).Comparer);
        return experiments.Select(e => e.ExperimentId).ToArray();
    }

    private static Experiment Create(string id, string name, long? created, long? updated, params (string Key, string Value)[] tags) =>
        new(id, name, $"file:///mlruns/{id}", LifecycleStage.Active, created, updated, tags.Select(t => new ExperimentTag(t.Key, t.Value)).ToArray());
}
