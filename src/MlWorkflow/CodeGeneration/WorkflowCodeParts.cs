using System.Globalization;
using System.Reflection;
using MlWorkflow.Features;

namespace MlWorkflow.CodeGeneration;

/// <summary>A workflow as the pieces of C# the project and the notebook share, checked before any file is written.</summary>
internal sealed record WorkflowCodeParts(
    int Seed,
    string DataPath,
    DataFileFormat Format,
    string Experiment,
    string? RunName,
    IReadOnlyList<string> FeatureCalls,
    string Label,
    string? RawLabel,
    string? SplitCall,
    string TrainerExpression,
    string? EvaluateCall,
    IReadOnlyList<string> Packages,
    string PackageVersion)
{
    public const string CorePackage = "MlWorkflow";
    public const string PlotsPackage = "MlWorkflow.Plots";

    public static WorkflowCodeParts From(Workflow workflow, string dataPath, DataFileFormat format, string experiment, WorkflowCodeGenerationOptions options)
    {
        var definition = workflow.Definition;
        if (definition.Label is null)
        {
            throw new WorkflowCodeGenerationException("Label", string.Empty, "the workflow has no label column: call Label(\"column\") first.");
        }

        if (definition.Trainer is null)
        {
            throw new WorkflowCodeGenerationException("Train", string.Empty, "the workflow has no trainer: call Train(Trainers.<Task>.<Trainer>(...)) first.");
        }

        var split = SplitCallOf(definition);
        CheckEverySettingIsWritten(definition);
        var calls = new List<string>();
        for (var i = 0; i < definition.Steps.Count; i++)
        {
            var step = definition.Steps[i];
            calls.Add(step.BuilderCall ?? throw new WorkflowCodeGenerationException(
                "Features",
                Shorten(step.ToString()),
                $"step {i + 1} ({step.Name}) cannot be written as code: it is a custom mapping or a step built outside FeaturePipelineBuilder's methods. "
                + "Replace it with builder methods (Log1p, OneHot, ReplaceMissing, ...) or write the generated Features(...) call by hand."));
        }

        var (trainer, trainerPackages) = TrainerCode.Write(definition.Trainer);
        var packages = new List<string> { CorePackage };
        packages.AddRange(trainerPackages.Where(p => !packages.Contains(p)));
        var evaluate = EvaluateCallOf(definition.Evaluation);
        if (definition.Evaluation?.Plots == true && !packages.Contains(PlotsPackage))
        {
            packages.Add(PlotsPackage);
        }

        if (definition.Trainer.Seed is { } trainerSeed)
        {
            trainer += $".WithSeed({trainerSeed.ToString(CultureInfo.InvariantCulture)})";
        }

        return new WorkflowCodeParts(
            definition.Seed,
            Path.GetFullPath(dataPath),
            format,
            experiment,
            options.RunName,
            calls,
            definition.Label,
            RawLabelOf(definition.Steps, definition.Label),
            split,
            trainer,
            evaluate,
            packages,
            options.PackageVersion ?? CurrentVersion());
    }

    // The definition's settings the generated code writes, or that only concern this process (clock, context, observers, data).
    private static readonly string[] WrittenSettings =
    [
        nameof(WorkflowDefinition.Seed), nameof(WorkflowDefinition.MLContext), nameof(WorkflowDefinition.TimeProvider), nameof(WorkflowDefinition.Options),
        nameof(WorkflowDefinition.Data), nameof(WorkflowDefinition.Source), nameof(WorkflowDefinition.Steps), nameof(WorkflowDefinition.Label),
        nameof(WorkflowDefinition.TestFraction), nameof(WorkflowDefinition.Folds), nameof(WorkflowDefinition.Trainer),
        nameof(WorkflowDefinition.Evaluation), nameof(WorkflowDefinition.ObserverFactories), "EqualityContract",
        nameof(WorkflowDefinition.Stratify), nameof(WorkflowDefinition.GroupColumn), nameof(WorkflowDefinition.SplitColumn),
        nameof(WorkflowDefinition.Refit), nameof(WorkflowDefinition.TimeLimit), nameof(WorkflowDefinition.TestScheme),
    ];

    // The split, folds, column split and time limit as fluent calls; a test set given as data cannot be written as code.
    private static string? SplitCallOf(WorkflowDefinition definition)
    {
        if (definition.TestData is not null || definition.TestSource is not null)
        {
            throw new WorkflowCodeGenerationException(
                "TestOn", string.Empty, "the workflow scores a separate test set, which generated code cannot load by itself; generate without TestOn and add .TestOn(DataSource...) by hand.");
        }

        var options = new List<string>();
        if (definition.Stratify)
        {
            options.Add("stratify: true");
        }

        if (definition.GroupColumn is { } group)
        {
            options.Add($"groupBy: {CSharpLiteral.String(group)}");
        }

        var extra = options.Count == 0 ? string.Empty : ", " + string.Join(", ", options);
        var split = definition switch
        {
            { TestFraction: { } fraction } => $".Split(testFraction: {CSharpLiteral.Double(fraction)}{extra})",
            { Folds: { } folds } => $".CrossValidate(folds: {folds.ToString(CultureInfo.InvariantCulture)}{extra}{(definition.Refit ? string.Empty : ", refit: false")})",
            { SplitColumn: { NumberFrom: { } number } column } => $".SplitBy({CSharpLiteral.String(column.Column)}, {CSharpLiteral.Double(number)})",
            { SplitColumn: { DateFrom: { } date } column } =>
                $".SplitBy({CSharpLiteral.String(column.Column)}, new DateTime({date.Ticks.ToString(CultureInfo.InvariantCulture)}L, DateTimeKind.{date.Kind}))",
            { SplitColumn: { } column } => $".SplitBy({CSharpLiteral.String(column.Column)})",
            _ => null,
        };
        var limit = definition.TimeLimit is { } time ? $".TimeLimit(TimeSpan.FromTicks({time.Ticks.ToString(CultureInfo.InvariantCulture)}L))" : null;
        return split is null ? limit : limit is null ? split : split + limit;
    }

    // A setting added to the workflow later (another split, a test set) must be written before code that ignores it can claim the same metrics.
    private static void CheckEverySettingIsWritten(WorkflowDefinition definition)
    {
        foreach (var property in typeof(WorkflowDefinition).GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (WrittenSettings.Contains(property.Name, StringComparer.Ordinal) || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var value = property.GetValue(definition);
            var isDefault = value is null
                || (value is System.Collections.ICollection { Count: 0 })
                || (property.PropertyType.IsValueType && value.Equals(Activator.CreateInstance(property.PropertyType)));
            if (!isDefault)
            {
                throw new WorkflowCodeGenerationException(
                    "Workflow", property.Name, "code generation does not write this setting yet, so the generated code would not reproduce the workflow; extend WorkflowCodeParts.");
            }
        }
    }

    /// <summary>The <c>DataSource</c> call reading <paramref name="pathVariable"/>.</summary>
    public string LoadCall(string pathVariable) => Format switch
    {
        DataFileFormat.Parquet => $"DataSource.Parquet({pathVariable})",
        DataFileFormat.Arrow => $"DataSource.Arrow({pathVariable})",
        _ => $"DataSource.Csv({pathVariable})",
    };

    /// <summary>The workflow's fluent chain, one call per line, each line indented by <paramref name="indent"/>.</summary>
    public IEnumerable<string> WorkflowLines(string pathVariable, string? trackCall, string indent)
    {
        yield return $"Workflow.Create(seed: {Seed.ToString(CultureInfo.InvariantCulture)})";
        yield return $"{indent}.Load({LoadCall(pathVariable)})";
        if (FeatureCalls.Count > 0)
        {
            yield return $"{indent}.Features(f => f";
            for (var i = 0; i < FeatureCalls.Count; i++)
            {
                yield return $"{indent}    {FeatureCalls[i]}{(i == FeatureCalls.Count - 1 ? ")" : string.Empty)}";
            }
        }

        yield return $"{indent}.Label({CSharpLiteral.String(Label)})";
        if (SplitCall is not null)
        {
            yield return indent + SplitCall;
        }

        yield return $"{indent}.Train({TrainerExpression})";
        if (EvaluateCall is not null)
        {
            yield return indent + EvaluateCall;
        }

        if (trackCall is not null)
        {
            yield return indent + trackCall;
        }
    }

    /// <summary>The <c>Track</c> call on a client variable.</summary>
    public string TrackCall(string clientVariable) =>
        RunName is null
            ? $".Track({clientVariable}, {CSharpLiteral.String(Experiment)})"
            : $".Track({clientVariable}, {CSharpLiteral.String(Experiment)}, runName: {CSharpLiteral.String(RunName)})";

    /// <summary>The version of this assembly, without the source revision (<c>0.1.0</c>).</summary>
    public static string CurrentVersion()
    {
        var assembly = typeof(Workflow).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational ?? assembly.GetName().Version?.ToString(3) ?? "0.1.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    private static string? EvaluateCallOf(EvaluationSettings? settings)
    {
        if (settings is null)
        {
            return null;
        }

        var arguments = new List<string>();
        if (settings.Plots)
        {
            arguments.Add("plots: true");
        }

        if (settings.FeatureImportance)
        {
            arguments.Add("featureImportance: true");
        }

        if (settings.Permutations != 1)
        {
            arguments.Add($"permutations: {settings.Permutations.ToString(CultureInfo.InvariantCulture)}");
        }

        return $".Evaluate({string.Join(", ", arguments)})";
    }

    // The data's own column behind the label: a label written by a step (log1p(sales -> log_sales)) comes from its input.
    private static string? RawLabelOf(IReadOnlyList<FeatureStep> steps, string label)
    {
        var column = label;
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            if (steps[i].OutputColumns.Contains(column, StringComparer.Ordinal))
            {
                if (steps[i].InputColumns.Count != 1)
                {
                    return null;
                }

                column = steps[i].InputColumns[0];
            }
        }

        return column;
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
