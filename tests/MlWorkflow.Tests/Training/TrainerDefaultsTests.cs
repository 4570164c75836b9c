using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.ML;
using MlWorkflow.Training;

namespace MlWorkflow.Tests.Training;

/// <summary>Issue 14: the catalog's defaults are what its XML docs say, and the random forest's are strong ones.</summary>
public sealed partial class TrainerDefaultsTests
{
    private static readonly Type[] Catalogs = [typeof(Trainers.Regression), typeof(Trainers.BinaryClassification), typeof(Trainers.MulticlassClassification)];

    private static IEnumerable<TestCaseData> Shortcuts() =>
        Catalogs.SelectMany(catalog => catalog.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.ReturnType == typeof(TrainerSpec) && m.GetParameters().Length > 0 && m.GetParameters().All(p => p.HasDefaultValue))
            .Select(m => new TestCaseData(m).SetArgDisplayNames($"{m.DeclaringType!.Name}.{m.Name}"));

    [GeneratedRegex(@"The default (?:value )?is (?<value>[^ .,;:)]+(?:\.\d+)?)")]
    private static partial Regex DocumentedDefault();

    [TestCaseSource(nameof(Shortcuts))]
    public void A_shortcut_documents_the_defaults_it_trains_with(MethodInfo shortcut)
    {
        var docs = XDocument.Load(Path.ChangeExtension(typeof(Trainers).Assembly.Location, ".xml"));
        var member = Documentation(docs, DocumentationId(shortcut));
        var spec = (TrainerSpec)shortcut.Invoke(null, shortcut.GetParameters().Select(p => p.DefaultValue).ToArray())!;
        Assert.Multiple(() =>
        {
            foreach (var parameter in shortcut.GetParameters())
            {
                var text = ParameterText(docs, member, parameter.Name!);
                var match = DocumentedDefault().Match(text);
                Assert.That(match.Success, Is.True, $"{parameter.Name}: no 'The default value is ...' in \"{text}\"");
                var expected = parameter.DefaultValue is null ? "null" : HyperparameterDescriptor.Format(parameter.DefaultValue);
                Assert.That(match.Groups["value"].Value, Is.EqualTo(expected), $"{parameter.Name}: documented default");

                // The C# default is the catalog's (read from the options the trainer starts from), so a tuner and a user see the same one.
                var descriptor = spec.Descriptor.Hyperparameter(SnakeCase(parameter.Name!));
                Assert.That(descriptor.Default is null ? null : HyperparameterDescriptor.Format(descriptor.Default), Is.EqualTo(parameter.DefaultValue is null ? null : expected), $"{parameter.Name}: catalog default");
            }
        });
    }

    [Test]
    public void The_random_forest_default_beats_the_old_shallow_forest_on_a_nonlinear_signal()
    {
        var deep = TestRmse(Trainers.Regression.RandomForest());
        var shallow = TestRmse(Trainers.Regression.RandomForest(trees: 100, leaves: 20, minExamplesPerLeaf: 10, featureFraction: 0.7));
        Assert.That(deep, Is.LessThan(0.8 * shallow), $"deep {deep}, shallow {shallow}");
    }

    [Test]
    public void The_random_forest_default_grows_deep_trees_on_every_feature()
    {
        var forest = Trainers.Regression.RandomForest();
        Assert.Multiple(() =>
        {
            Assert.That(forest.Hyperparameters["leaves"], Is.EqualTo(1000));
            Assert.That(forest.Hyperparameters["min_examples_per_leaf"], Is.EqualTo(1));
            Assert.That(forest.Hyperparameters["feature_fraction"], Is.EqualTo(1.0));
            Assert.That(Trainers.BinaryClassification.FastForest().Hyperparameters, Is.EqualTo(forest.Hyperparameters));
        });
    }

    // y = 10·sin(x1)·x2 + 5·[x3 > 0.5] + x4² with noise; x5 and x6 are noise features.
    private static double TestRmse(TrainerSpec spec)
    {
        var ml = new MLContext(5);
        var random = new Random(23);
        var rows = Enumerable.Range(0, 2000).Select(_ =>
        {
            var x = Enumerable.Range(0, 6).Select(_ => (float)random.NextDouble()).ToArray();
            var y = (10 * MathF.Sin(6 * x[0]) * x[1]) + (x[2] > 0.5f ? 5 : 0) + (4 * x[3] * x[3]) + (float)(random.NextDouble() - 0.5);
            return new Row { Features = x, Label = y };
        }).ToList();
        var split = ml.Data.TrainTestSplit(ml.Data.LoadFromEnumerable(rows), 0.25, seed: 5);
        var model = spec.CreateEstimator(ml).Fit(split.TrainSet);
        return ml.Regression.Evaluate(model.Transform(split.TestSet)).RootMeanSquaredError;
    }

    private static XElement Documentation(XDocument docs, string id) =>
        docs.Descendants("member").SingleOrDefault(m => (string?)m.Attribute("name") == id)
        ?? throw new AssertionException($"No XML documentation for {id}.");

    // A parameter's text, following <inheritdoc cref="..."/> when the member documents no such parameter itself.
    private static string ParameterText(XDocument docs, XElement member, string name)
    {
        var own = member.Elements("param").FirstOrDefault(p => (string?)p.Attribute("name") == name);
        if (own is not null)
        {
            return string.Concat(own.DescendantNodes().OfType<XText>().Select(t => t.Value));
        }

        var inherited = member.Elements("inheritdoc").Select(i => (string?)i.Attribute("cref")).FirstOrDefault(c => c is not null)
            ?? throw new AssertionException($"{member.Attribute("name")}: parameter '{name}' is not documented.");
        return ParameterText(docs, Documentation(docs, inherited), name);
    }

    private static string DocumentationId(MethodInfo method) =>
        $"M:{method.DeclaringType!.FullName!.Replace('+', '.')}.{method.Name}({string.Join(",", method.GetParameters().Select(p => TypeId(p.ParameterType)))})";

    private static string TypeId(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? $"System.Nullable{{{underlying.FullName}}}" : type.FullName!.Replace('+', '.');

    private static string SnakeCase(string name) =>
        string.Concat(name.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString(CultureInfo.InvariantCulture)));

    private sealed class Row
    {
        [Microsoft.ML.Data.VectorType(6)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
