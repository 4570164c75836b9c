using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Validation;

namespace MlWorkflow.Tracking.Tests.Validation;

/// <summary>MLflow's validation rules and limits, and keys that could escape the store root.</summary>
public class TrackingValidationTests
{
    private static MlflowException Invalid(Action action)
    {
        var error = Assert.Throws<MlflowException>(action);
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        return error;
    }

    [TestCase("loss")]
    [TestCase("a/b/c")]
    [TestCase("with space")]
    [TestCase("dots.and-dashes_and:colon")]
    [TestCase("überschrift")]
    [TestCase("..x")]
    public void Keys_mlflow_accepts_pass(string key) =>
        Assert.That(() => TrackingValidation.ValidateMetric(new Metric(key, 1, 0)), Throws.Nothing);

    [TestCase("", "non-empty")]
    [TestCase("../escape", "would resolve")]
    [TestCase("..", "would resolve")]
    [TestCase(".", "would resolve")]
    [TestCase("a/../../b", "would resolve")]
    [TestCase("a/./b", "would resolve")]
    [TestCase("/absolute", "would resolve")]
    [TestCase("trailing/", "would resolve")]
    [TestCase("double//slash", "would resolve")]
    [TestCase("back\\slash", "Names may only contain")]
    [TestCase("C:\\windows", "Names may only contain")]
    [TestCase("nul\0byte", "Names may only contain")]
    [TestCase("new\nline", "Names may only contain")]
    [TestCase("star*", "Names may only contain")]
    [TestCase("percent%2e", "Names may only contain")]
    public void Keys_that_are_unsafe_or_have_bad_characters_are_rejected(string key, string message)
    {
        foreach (var check in new Action[]
        {
            () => TrackingValidation.ValidateMetric(new Metric(key, 1, 0)),
            () => TrackingValidation.ValidateParam(new Param(key, "v")),
            () => TrackingValidation.ValidateTag(new RunTag(key, "v")),
            () => TrackingValidation.ValidateExperimentTag(new ExperimentTag(key, "v")),
        })
        {
            Assert.That(Invalid(check).Message, Does.Contain(message));
        }
    }

    [Test]
    public void Lengths_follow_mlflow_limits()
    {
        Assert.That(() => TrackingValidation.ValidateParam(new Param(new string('k', 250), new string('v', 6000))), Throws.Nothing);
        Assert.That(Invalid(() => TrackingValidation.ValidateParam(new Param(new string('k', 251), "v"))).Message, Does.Contain("exceeds the maximum length of 250"));
        Assert.That(Invalid(() => TrackingValidation.ValidateParam(new Param("k", new string('v', 6001)))).Message, Does.Contain("6000"));
        Assert.That(() => TrackingValidation.ValidateTag(new RunTag("k", new string('v', 8000))), Throws.Nothing);
        Assert.That(Invalid(() => TrackingValidation.ValidateTag(new RunTag("k", new string('v', 8001)))).Message, Does.Contain("8000"));
        Assert.That(Invalid(() => TrackingValidation.ValidateExperimentTag(new ExperimentTag("k", new string('v', 5001)))).Message, Does.Contain("5000"));
        Assert.That(Invalid(() => TrackingValidation.ValidateMetric(new Metric("m", 1, -1))).Message, Does.Contain("timestamp"));
        Assert.That(() => TrackingValidation.ValidateMetric(new Metric("m", double.NaN, 0, -5)), Throws.Nothing);
    }

    [Test]
    public void Batches_follow_mlflow_limits()
    {
        var metrics = Enumerable.Range(0, 1000).Select(i => new Metric("m", i, 0, i)).ToList();
        Assert.That(() => TrackingValidation.ValidateBatch(metrics, [], []), Throws.Nothing);
        Assert.That(Invalid(() => TrackingValidation.ValidateBatch(metrics.Append(new Metric("m", 1, 0)).ToList(), [], [])).Message, Does.Contain("at most 1000 metrics"));
        Assert.That(Invalid(() => TrackingValidation.ValidateBatch([], Enumerable.Range(0, 101).Select(i => new Param($"p{i}", "v")).ToList(), [])).Message, Does.Contain("at most 100 params"));
        Assert.That(Invalid(() => TrackingValidation.ValidateBatch([], [], Enumerable.Range(0, 101).Select(i => new RunTag($"t{i}", "v")).ToList())).Message, Does.Contain("at most 100 tags. Got 101 tags"));
        Assert.That(Invalid(() => TrackingValidation.ValidateBatch(metrics.Take(950).ToList(), Enumerable.Range(0, 51).Select(i => new Param($"p{i}", "v")).ToList(), [])).Message, Does.Contain("1000 metrics, params, and tags in total"));
        Assert.That(Invalid(() => TrackingValidation.ValidateBatch([], [new Param("q", "1"), new Param("q", "2")], [])).Message, Does.Contain("Duplicate parameter keys have been submitted: ['q']"));
        Invalid(() => TrackingValidation.ValidateBatch([new Metric("../m", 1, 0)], [], []));
    }

    [Test]
    public void Experiment_and_run_names_follow_mlflow_rules()
    {
        Assert.That(() => TrackingValidation.ValidateExperimentName("/Users/me@x.com/exp: any chars ✓"), Throws.Nothing);
        Invalid(() => TrackingValidation.ValidateExperimentName(""));
        Invalid(() => TrackingValidation.ValidateExperimentName("   "));
        Invalid(() => TrackingValidation.ValidateExperimentName(null));
        Invalid(() => TrackingValidation.ValidateExperimentName(new string('e', 501)));
        Assert.That(() => TrackingValidation.ValidateExperimentName(new string('e', 500)), Throws.Nothing);
        Assert.That(() => TrackingValidation.ValidateRunName(null), Throws.Nothing);
        Assert.That(() => TrackingValidation.ValidateRunName("any name / with: stuff"), Throws.Nothing);
        Invalid(() => TrackingValidation.ValidateRunName(new string('r', 251)));
    }

    [TestCase("0123456789abcdef0123456789abcdef", true)]
    [TestCase("run-1_a", true)]
    [TestCase("", false)]
    [TestCase("../x", false)]
    [TestCase("-leading", false)]
    [TestCase("a/b", false)]
    [TestCase("a\\b", false)]
    [TestCase("abc\n", false)]
    [TestCase("C:", false)]
    public void Run_ids_follow_mlflow_pattern(string runId, bool valid)
    {
        if (valid)
        {
            Assert.That(() => TrackingValidation.ValidateRunId(runId), Throws.Nothing);
        }
        else
        {
            Invalid(() => TrackingValidation.ValidateRunId(runId));
        }
    }

    [Test]
    public void Experiment_ids_are_at_most_64_characters()
    {
        Assert.That(() => TrackingValidation.ValidateExperimentId(new string('1', 64)), Throws.Nothing);
        Invalid(() => TrackingValidation.ValidateExperimentId(new string('1', 65)));
        Invalid(() => TrackingValidation.ValidateExperimentId(".trash"));
    }

    [Test]
    public void Dataset_inputs_need_their_fields_within_limits()
    {
        var good = new Dataset("iris", "4a5c7d0e", "local", "{}");
        Assert.That(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good, [new InputTag("mlflow.data.context", "training")])), Throws.Nothing);
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good with { Name = "" })));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good with { Source = "" })));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good with { SourceType = "" })));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good with { Name = new string('n', 501) })));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good with { Digest = new string('d', 37) })));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good with { Source = new string('s', 65536) })));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good, [new InputTag(new string('k', 256), "v")])));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good, [new InputTag("k", new string('v', 501))])));
        Invalid(() => TrackingValidation.ValidateDatasetInput(new DatasetInput(good, [new InputTag("", "v")])));
    }
}
