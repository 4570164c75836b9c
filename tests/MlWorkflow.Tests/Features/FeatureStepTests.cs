using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Features;
using MlWorkflow.Tests.Workflow;

namespace MlWorkflow.Tests.Features;

public sealed class FeatureStepTests
{
    private MLContext _ml = null!;
    private IDataView _diamonds = null!;

    [OneTimeSetUp]
    public void LoadData()
    {
        _ml = new MLContext(1);
        _diamonds = TestDatasets.DiamondsSample(_ml);
    }

    private IDataView Apply(IDataView data, Func<FeaturePipelineBuilder, FeaturePipelineBuilder> configure)
    {
        var shape = ColumnTypes.ToShape(data.Schema);
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        foreach (var step in configure(new FeaturePipelineBuilder()).Steps)
        {
            shape = step.Validate(_ml, shape);
            chain = chain.Append(step.CreateEstimator(_ml));
        }

        return chain.Fit(data).Transform(data);
    }

    [Test]
    public void Log1pAndLogComputeTheNaturalLogarithm()
    {
        var output = Apply(_diamonds, f => f.Log1p("carat", "log1p_carat").Log("price", "log_price"));
        var carat = output.GetColumn<float>("carat").Take(20).ToArray();
        var log1p = output.GetColumn<float>("log1p_carat").Take(20).ToArray();
        var price = output.GetColumn<float>("price").Take(20).ToArray();
        var log = output.GetColumn<float>("log_price").Take(20).ToArray();
        for (var i = 0; i < carat.Length; i++)
        {
            Assert.That(log1p[i], Is.EqualTo(Math.Log(1 + carat[i])).Within(1e-5));
            Assert.That(log[i], Is.EqualTo(Math.Log(price[i])).Within(1e-4));
        }
    }

    [Test]
    public void NormalisationsScaleTheColumns()
    {
        var output = Apply(_diamonds, f => f.NormalizeMinMax("depth").NormalizeMeanVariance("table").NormalizeLogMeanVariance("price").Bin("carat", maximumBins: 4));
        var depth = output.GetColumn<float>("depth").ToArray();
        var table = output.GetColumn<float>("table").ToArray();
        var price = output.GetColumn<float>("price").ToArray();
        var carat = output.GetColumn<float>("carat").ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(depth.Min(), Is.GreaterThanOrEqualTo(0f));
            Assert.That(depth.Max(), Is.LessThanOrEqualTo(1f).And.GreaterThan(0.5f));
            Assert.That(table.Select(v => (double)v).Average(), Is.LessThan(50), "table was scaled by its standard deviation, not left around 57");
            Assert.That(price.Distinct().Count(), Is.GreaterThan(100));
            Assert.That(carat.Distinct().Count(), Is.InRange(2, 4));
        });
    }

    [Test]
    public void OneHotMakesOneSlotPerCategoryAndHashedOneHotTwoToTheBits()
    {
        var output = Apply(_diamonds, f => f.OneHot("cut").OneHotHash("clarity", bits: 3));
        var cut = (VectorDataViewType)output.Schema["cut"].Type;
        var clarity = (VectorDataViewType)output.Schema["clarity"].Type;
        Assert.Multiple(() =>
        {
            Assert.That(cut.Size, Is.EqualTo(5), "Fair, Good, Very Good, Premium, Ideal");
            Assert.That(clarity.Size, Is.EqualTo(8));
            Assert.That(output.GetColumn<VBuffer<float>>("cut").First().DenseValues().Sum(), Is.EqualTo(1f));
        });
    }

    private sealed class Reading
    {
        public float Value { get; set; }
    }

    private sealed class Count
    {
        public int Sales { get; set; }

        public long Listings { get; set; }

        public float Price { get; set; }
    }

    [Test]
    public void Log1p_and_ReplaceMissing_widen_whole_number_columns_to_Double()
    {
        // A count stored as Int32 once rows without it were dropped (issue 14): the README's Log1p("sales", ...) must still work.
        var data = _ml.Data.LoadFromEnumerable(new[] { new Count { Sales = 0, Listings = 7, Price = 1 }, new Count { Sales = 99, Listings = 3_000_000_000, Price = 2 }, new Count { Sales = 16_777_217, Listings = 1, Price = 3 } });
        var output = Apply(data, f => f.Log1p("Sales", "log_sales").ReplaceMissing("Listings").ReplaceMissingWith("Sales", 5).Log1p("Price"));
        Assert.Multiple(() =>
        {
            Assert.That(output.Schema["log_sales"].Type, Is.EqualTo(NumberDataViewType.Double));
            Assert.That(output.GetColumn<double>("log_sales").ToArray(), Is.EqualTo(new[] { 0, Math.Log(100), Math.Log(16_777_218) }).Within(1e-9));
            Assert.That(output.GetColumn<double>("Sales").ToArray(), Is.EqualTo(new[] { 0d, 99d, 16_777_217d }), "widened exactly (Single would round 16,777,217)");
            Assert.That(output.Schema["Listings"].Type, Is.EqualTo(NumberDataViewType.Double));
            Assert.That(output.GetColumn<double>("Listings").ToArray(), Is.EqualTo(new[] { 7d, 3_000_000_000d, 1d }));
            Assert.That(output.GetColumn<bool>("Listings_missing").ToArray(), Is.EqualTo(new[] { false, false, false }));
            Assert.That(output.Schema["Price"].Type, Is.EqualTo(NumberDataViewType.Single), "a floating-point column keeps its type");
        });
    }

    [Test]
    public void Normalisation_and_binning_widen_whole_number_columns_to_Double_and_keep_floating_point_ones()
    {
        // A year or a count read as Int32 next to measurements read as Single: all standardised in one step.
        var data = _ml.Data.LoadFromEnumerable(new[] { new Count { Sales = 2007, Listings = 10, Price = 1 }, new Count { Sales = 2008, Listings = 20, Price = 2 }, new Count { Sales = 2009, Listings = 30, Price = 3 } });
        var output = Apply(data, f => f.NormalizeMeanVariance("Sales", "Price").NormalizeMinMax("Listings").Bin("Sales", maximumBins: 2, output: "sales_bin"));
        Assert.Multiple(() =>
        {
            Assert.That(output.Schema["Sales"].Type, Is.EqualTo(NumberDataViewType.Double));
            Assert.That(output.GetColumn<double>("Sales").ToArray(), Is.EqualTo(new[] { -Math.Sqrt(1.5), 0d, Math.Sqrt(1.5) }).Within(1e-9), "2007..2009: mean 2008, standard deviation √(2/3) (n in the denominator, as scikit-learn's StandardScaler)");
            Assert.That(output.Schema["Price"].Type, Is.EqualTo(NumberDataViewType.Single), "a floating-point column keeps its type");
            Assert.That(output.GetColumn<float>("Price").ToArray(), Is.EqualTo(new[] { -Math.Sqrt(1.5), 0d, Math.Sqrt(1.5) }).Within(1e-6), "centred, not only scaled");
            Assert.That(output.GetColumn<double>("Listings").ToArray(), Is.EqualTo(new[] { 1d / 3, 2d / 3, 1d }).Within(1e-9), "min-max keeps zero: divided by the largest magnitude");
            Assert.That(output.Schema["sales_bin"].Type, Is.EqualTo(NumberDataViewType.Double));
        });
    }

    [Test]
    public void ReplaceMissing_by_the_median_of_the_training_rows_ignores_an_outlier_and_keeps_it_in_the_model()
    {
        var training = _ml.Data.LoadFromEnumerable(new[] { 1f, 2f, float.NaN, 3f, 1000f }.Select(v => new Reading { Value = v }));
        var model = new MedianImputationChain(_ml, f => f.ReplaceMissing("Value", MissingValueReplacement.Median)).Fit(training);
        var newRows = _ml.Data.LoadFromEnumerable(new[] { float.NaN, 7f }.Select(v => new Reading { Value = v }));
        Assert.Multiple(() =>
        {
            Assert.That(model.Transform(training).GetColumn<float>("Value").ToArray(), Is.EqualTo(new[] { 1f, 2f, 2.5f, 3f, 1000f }), "the median of 1, 2, 3, 1000; the mean would be 251.5");
            Assert.That(model.Transform(newRows).GetColumn<float>("Value").ToArray(), Is.EqualTo(new[] { 2.5f, 7f }), "new data gets the training median");
            Assert.That(model.Transform(newRows).GetColumn<bool>("Value_missing").ToArray(), Is.EqualTo(new[] { true, false }));
        });
    }

    [Test]
    public void ReplaceMissing_by_the_median_refuses_a_vector_column_by_name()
    {
        var error = Assert.Throws<FeatureValidationException>(() => Apply(_diamonds, f => f.OneHot("cut").ReplaceMissing("cut", MissingValueReplacement.Median)));
        Assert.That(error!.Message, Does.Contain("'cut'").And.Contain("scalar"));
    }

    // The steps' estimators as one chain, validated first, as the workflow plans them.
    private sealed class MedianImputationChain(MLContext ml, Func<FeaturePipelineBuilder, FeaturePipelineBuilder> configure)
    {
        public ITransformer Fit(IDataView data)
        {
            var shape = ColumnTypes.ToShape(data.Schema);
            IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
            foreach (var step in configure(new FeaturePipelineBuilder()).Steps)
            {
                shape = step.Validate(ml, shape);
                chain = chain.Append(step.CreateEstimator(ml));
            }

            return chain.Fit(data);
        }
    }

    [TestCase(MissingValueReplacement.Mean, 2f)]
    [TestCase(MissingValueReplacement.Minimum, 1f)]
    [TestCase(MissingValueReplacement.Maximum, 3f)]
    [TestCase(MissingValueReplacement.DefaultValue, 0f)]
    public void ReplaceMissingFillsNaNAndWritesTheIndicator(MissingValueReplacement replacement, float expected)
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new Reading { Value = 1 }, new Reading { Value = float.NaN }, new Reading { Value = 3 } });
        var output = Apply(data, f => f.ReplaceMissing("Value", replacement));
        Assert.Multiple(() =>
        {
            Assert.That(output.GetColumn<float>("Value").ToArray(), Is.EqualTo(new[] { 1f, expected, 3f }));
            Assert.That(output.GetColumn<bool>("Value_missing").ToArray(), Is.EqualTo(new[] { false, true, false }));
        });
    }

    [Test]
    public void ReplaceMissingWithAConstant()
    {
        var data = _ml.Data.LoadFromEnumerable(new[] { new Reading { Value = 1 }, new Reading { Value = float.NaN } });
        var output = Apply(data, f => f.ReplaceMissingWith("Value", -7.5, indicator: false));
        Assert.Multiple(() =>
        {
            Assert.That(output.GetColumn<float>("Value").ToArray(), Is.EqualTo(new[] { 1f, -7.5f }));
            Assert.That(output.Schema.GetColumnOrNull("Value_missing"), Is.Null);
            Assert.That(output.Schema["Value"].Type, Is.EqualTo(NumberDataViewType.Single));
        });
    }

    [Test]
    public void TextFeaturisationMakesAVector()
    {
        var output = Apply(_diamonds, f => f.Text("color", "color_text"));
        Assert.That(output.Schema["color_text"].Type, Is.InstanceOf<VectorDataViewType>());
    }

    [Test]
    public void DropSelectAndRenameShapeTheColumns()
    {
        var output = Apply(_diamonds, f => f.Drop("x", "y").Rename("z", "depth_mm").Select("carat", "depth_mm", "price"));
        Assert.That(output.Schema.Select(c => c.Name).Where(n => !output.Schema[n].IsHidden), Is.EquivalentTo(new[] { "carat", "depth_mm", "price" }));
    }

    [Test]
    public void ConcatenateConvertsAndJoinsColumns()
    {
        var step = new ConcatenateStep(["carat", "depth"]);
        var output = Apply(_diamonds, f => f.Add(step));
        Assert.That(((VectorDataViewType)output.Schema["Features"].Type).Size, Is.EqualTo(2));
    }

    private sealed class CaratInput
    {
        public float carat { get; set; }
    }

    private sealed class CaratOutput
    {
        public float carat_squared { get; set; }
    }

    [Test]
    public void CustomMappingRunsTheUsersCode()
    {
        var output = Apply(_diamonds, f => f.Map<CaratInput, CaratOutput>("square", (i, o) => o.carat_squared = i.carat * i.carat));
        var carat = output.GetColumn<float>("carat").First();
        Assert.That(output.GetColumn<float>("carat_squared").First(), Is.EqualTo(carat * carat).Within(1e-6));
    }

    [Test]
    public void AnUnknownColumnNamesTheStepAndTheColumn()
    {
        var error = Assert.Throws<FeatureValidationException>(() => Apply(_diamonds, f => f.OneHot("city")));
        Assert.That(error!.Message, Does.Contain("one_hot").And.Contain("'city'").And.Contain("does not exist"));
        Assert.That(error.Column, Is.EqualTo("city"));
    }

    [Test]
    public void AWrongTypeNamesTheStepTheColumnAndTheType()
    {
        var error = Assert.Throws<FeatureValidationException>(() => Apply(_diamonds, f => f.Log1p("cut")));
        Assert.That(error!.Message, Does.Contain("log1p").And.Contain("'cut'").And.Contain("String"));
    }

    [Test]
    public void StepsDescribeThemselvesForLogging()
    {
        var steps = new FeaturePipelineBuilder().Log1p("sales", "log_sales").OneHotHash("city", bits: 4).ReplaceMissing("inventory").Steps;
        Assert.Multiple(() =>
        {
            Assert.That(steps[0].ToString(), Is.EqualTo("log1p(sales -> log_sales)"));
            Assert.That(steps[1].ToString(), Is.EqualTo("one_hot_hash(city, bits=4)"));
            Assert.That(steps[2].Parameters["replacement"], Is.EqualTo("mean"));
            Assert.That(steps[2].OutputColumns, Is.EqualTo(new[] { "inventory", "inventory_missing" }));
        });
    }

    [Test]
    public void BadArgumentsFailWhenTheStepIsAdded()
    {
        var builder = new FeaturePipelineBuilder();
        Assert.Multiple(() =>
        {
            Assert.That(() => builder.Bin("carat", maximumBins: 1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => builder.OneHotHash("cut", bits: 31), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => builder.ReplaceMissingWith("carat", double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => builder.NormalizeMinMax(), Throws.ArgumentException);
        });
    }
}
