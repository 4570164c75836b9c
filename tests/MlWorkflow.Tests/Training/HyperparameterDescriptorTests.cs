using Microsoft.ML;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

public sealed class HyperparameterDescriptorTests
{
    [Test]
    public void A_descriptor_refuses_a_search_range_it_could_not_sample()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => HyperparameterDescriptor.Integer("depth", "Depth.", 1, 10, searchMinimum: 0, searchMaximum: 5), Throws.ArgumentException.With.Message.Contains("within the accepted range"));
            Assert.That(() => HyperparameterDescriptor.Real("rate", "Rate.", 0, searchMinimum: 0, searchMaximum: 1, logScale: true), Throws.ArgumentException.With.Message.Contains("above 0"));
            Assert.That(() => HyperparameterDescriptor.Real("rate", "Rate.", 0, logScale: true), Throws.ArgumentException.With.Message.Contains("needs a search range"));
            Assert.That(() => HyperparameterDescriptor.Real("rate", "Rate.", 0, searchMinimum: 0.1), Throws.ArgumentException.With.Message.Contains("both ends"));
            Assert.That(() => HyperparameterDescriptor.Integer("depth", "Depth.", 1, defaultValue: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => HyperparameterDescriptor.Categorical("loss", "Loss.", ["a", "a"]), Throws.ArgumentException.With.Message.Contains("distinct"));
        });
    }

    [Test]
    public void A_descriptor_says_what_it_accepts()
    {
        var rate = HyperparameterDescriptor.Real("rate", "Rate.", 0, 1, minimumExclusive: true, searchMinimum: 0.01, searchMaximum: 1, logScale: true, defaultValue: 0.1);
        var loss = HyperparameterDescriptor.Categorical("loss", "Loss.", ["squared", "huber"], "squared");
        Assert.Multiple(() =>
        {
            Assert.That(rate.ToString(), Is.EqualTo("rate: real in (0, 1], search [0.01, 1] log, default 0.1"));
            Assert.That(HyperparameterDescriptor.Integer("trees", "Trees.", 1, searchMinimum: 4, searchMaximum: 1000, logScale: true, defaultValue: 100).ToString(), Is.EqualTo("trees: integer in [1, ∞), search [4, 1000] log, default 100"));
            Assert.That(rate.Validate("0.5"), Is.EqualTo(0.5), "invariant text, as params are logged");
            Assert.That(() => rate.Validate(0, "Mine"), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.StartsWith("Trainer Mine: hyperparameter 'rate' must be more than 0 and at most 1, got 0."));
            Assert.That(() => rate.Validate(new string('9', 500)), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Length.LessThan(400), "a long value is not echoed in full");
            Assert.That(loss.Validate("huber"), Is.EqualTo("huber"));
            Assert.That(() => loss.Validate("absolute"), Throws.ArgumentException.With.Message.Contains("one of squared, huber"));
            Assert.That(loss.IsSearchable, Is.True);
            Assert.That(loss.ValueType, Is.EqualTo(typeof(string)));
        });
    }

    [Test]
    public void A_trainer_reads_its_values_by_name_and_type()
    {
        object? seen = null;
        var descriptor = new TrainerDescriptor(
            "Reader",
            LearningTask.Regression,
            [
                HyperparameterDescriptor.Integer("depth", "Depth.", 1, allowsAuto: true),
                HyperparameterDescriptor.Real("rate", "Rate.", 0, defaultValue: 0.25),
            ],
            c =>
            {
                seen = (c.Get<int?>("depth"), c.Get<float>("rate"), c.LabelColumn, c.FeatureColumn);
                return c.MLContext.Regression.Trainers.Sdca(c.LabelColumn, c.FeatureColumn);
            });
        var ml = new MLContext(1);
        descriptor.Create().CreateEstimator(ml, "y", "x");
        var failing = new TrainerDescriptor("Reader", LearningTask.Regression, descriptor.Hyperparameters, c => c.MLContext.Regression.Trainers.Sdca(featureColumnName: c.Get<string>("missing")));
        var notNullable = new TrainerDescriptor("Reader", LearningTask.Regression, descriptor.Hyperparameters, c => c.MLContext.Regression.Trainers.Sdca(maximumNumberOfIterations: c.Get<int>("depth")));
        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(((int?)null, 0.25f, "y", "x")));
            Assert.That(descriptor.Create().Hyperparameters["depth"], Is.EqualTo("auto"));
            Assert.That(() => failing.Create().CreateEstimator(ml), Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("it has: depth, rate"));
            Assert.That(() => notNullable.Create().CreateEstimator(ml), Throws.InvalidOperationException.With.Message.Contains("Int32?"));
        });
    }
}
