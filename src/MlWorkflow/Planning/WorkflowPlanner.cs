using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlWorkflow.Features;
using MlWorkflow.Training;

namespace MlWorkflow.Planning;

/// <summary>Turns a workflow definition and a schema into a <see cref="WorkflowPlan"/>, or says what is wrong before any training.</summary>
internal static class WorkflowPlanner
{
    public static WorkflowPlan Plan(WorkflowDefinition definition, MLContext ml, DataViewSchema schema)
    {
        var label = definition.Label!;
        var trainer = definition.Trainer!;
        var shape = ColumnTypes.ToShape(schema);

        // Steps that write the label belong to label preparation; the columns they read are not features.
        var labelSteps = definition.Steps.Where(s => s.OutputColumns.Contains(label)).ToArray();
        var featureSteps = definition.Steps.Where(s => !s.OutputColumns.Contains(label)).ToList();
        var excluded = new HashSet<string>(StringComparer.Ordinal) { label };
        CheckSplit(definition, schema);
        if (trainer.Members.Count > 0 && definition.Evaluation is { FeatureImportance: true })
        {
            throw new WorkflowValidationException(
                "Evaluate", label, $"permutation feature importance is measured on one trainer's features, and {trainer.Name} averages {trainer.Members.Count} trainers; turn featureImportance off, or evaluate a member alone");
        }

        if (definition.SplitColumn is { IsMarker: true } marker)
        {
            // A test marker says which side a row is on: constant on the training side, it is no feature.
            excluded.Add(marker.Column);
        }

        var labelInputs = new List<string>();
        var labelWritten = new HashSet<string>(StringComparer.Ordinal);
        var resolved = new List<FeatureStep>();
        IEstimator<ITransformer> labelPreparation = new EstimatorChain<ITransformer>();
        foreach (var step in labelSteps)
        {
            shape = step.Validate(ml, shape);
            labelPreparation = labelPreparation.Append(step.CreateEstimator(ml));
            excluded.UnionWith(step.InputColumns);
            labelInputs.AddRange(step.InputColumns.Where(c => !labelWritten.Contains(c) && !labelInputs.Contains(c)));
            labelWritten.UnionWith(step.OutputColumns);
            resolved.Add(step);
        }

        if (!shape.TryFindColumn(label, out var labelColumn))
        {
            throw new WorkflowValidationException(
                "Label", label, $"column '{label}' does not exist; columns: {Quote(string.Join(", ", shape.Select(c => c.Name)))}");
        }

        var conversion = LabelConversion(ml, trainer, label, labelColumn);
        if (conversion is not null)
        {
            shape = conversion.GetOutputSchema(shape);
        }

        // Feature steps, then the automatic concatenation and normalisation.
        IEstimator<ITransformer> features = new EstimatorChain<ITransformer>();
        if (!featureSteps.OfType<ConcatenateStep>().Any())
        {
            featureSteps.Add(new ConcatenateStep(null));
        }

        // The model's inputs: columns a step reads before any step has written them.
        var written = new HashSet<string>(StringComparer.Ordinal);
        var rawInputs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var original in featureSteps)
        {
            var step = original is ConcatenateStep concatenate ? concatenate.Resolve(shape, excluded) : original;
            foreach (var column in step.InputColumns)
            {
                if (column == label)
                {
                    throw new FeatureValidationException(step, column, $"the step reads the label column '{label}'; a feature must not be computed from the label");
                }
            }

            shape = step.Validate(ml, shape);
            resolved.Add(step);
            if (step is ColumnSelectionStep { ChangesSchemaOnly: true })
            {
                // Dropping or selecting only hides columns from the later steps; the model need not read them.
                continue;
            }

            rawInputs.UnionWith(step.InputColumns.Where(c => !written.Contains(c)));
            written.UnionWith(step.OutputColumns);
            features = features.Append(step.CreateEstimator(ml));
        }

        // Linear trainers converge on scaled features; features ML.NET's normalisers marked ("IsNormalized" annotation) are left as they are.
        if (trainer.NeedsNormalization
            && !ColumnTypes.IsMarkedNormalized(shape, ConcatenateStep.DefaultOutput))
        {
            var normalize = new NormalizeStep(NormalizationKind.MinMax, [new InputOutputColumnPair(ConcatenateStep.DefaultOutput)]);
            shape = normalize.Validate(ml, shape);
            features = features.Append(normalize.CreateEstimator(ml));
            resolved.Add(normalize);
        }

        if (!shape.TryFindColumn(ConcatenateStep.DefaultOutput, out var featureColumn)
            || featureColumn.Kind == SchemaShape.Column.VectorKind.Scalar
            || featureColumn.ItemType != NumberDataViewType.Single)
        {
            throw new WorkflowValidationException(
                "Features", ConcatenateStep.DefaultOutput, "the feature steps must end in a 'Features' vector of Single: keep or add a Concatenate() step");
        }

        // A trainer seed (TrainerSpec.WithSeed) also seeds the random draws ML.NET makes from the context (SDCA's shuffles...).
        var trainerContext = trainer.Seed is { } trainerSeed ? new MLContext(trainerSeed) : ml;
        var trainerEstimator = trainer.CreateEstimator(trainerContext, label, ConcatenateStep.DefaultOutput);
        try
        {
            shape = trainerEstimator.GetOutputSchema(shape);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            throw new WorkflowValidationException("Train", label, $"trainer {trainer.Name} cannot train on this data: {Quote(error.Message)}", error);
        }

        IEstimator<ITransformer>? post = trainer.Task == LearningTask.MulticlassClassification
            ? ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")
            : null;
        var signature = schema.Where(c => !c.IsHidden && rawInputs.Contains(c.Name)).Select(c => c.Name).Distinct().ToArray();
        return new WorkflowPlan(
            labelPreparation, conversion, features, trainerEstimator, post, resolved, signature, labelInputs.Count == 0 ? [label] : labelInputs, trainerContext);
    }

    internal static IEstimator<ITransformer>? LabelConversion(MLContext ml, TrainerSpec trainer, string label, SchemaShape.Column column)
    {
        var described = ColumnTypes.Describe(column);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar)
        {
            throw new WorkflowValidationException("Label", label, $"the label must be a single value per row, but column '{label}' is {described}");
        }

        var numeric = !column.IsKey && ColumnTypes.IsNumeric(column.ItemType);
        switch (trainer.Task)
        {
            case LearningTask.Regression when numeric:
                return column.ItemType == NumberDataViewType.Single ? null : ml.Transforms.Conversion.ConvertType(label, label, DataKind.Single);
            case LearningTask.Regression:
                throw new WorkflowValidationException(
                    "Train", label, $"regression trainer {trainer.Name} needs a numeric label, but column '{label}' is {described}; use a multiclass trainer for classes");
            case LearningTask.BinaryClassification when !column.IsKey && ColumnTypes.IsBoolean(column.ItemType):
                return null;
            case LearningTask.BinaryClassification when numeric:
                // 0/1 labels (checked against the values before training): 1 is the positive class.
                return ml.Transforms.Expression(label, "x => x != 0", label);
            case LearningTask.BinaryClassification:
                throw new WorkflowValidationException(
                    "Train", label, $"binary trainer {trainer.Name} needs a Boolean or 0/1 numeric label, but column '{label}' is {described}; use a multiclass trainer for text classes");
            default:
                // Classes in sorted order, as scikit-learn's classes_: key k and the k-th probability are the k-th smallest value.
                return column.IsKey ? null : ml.Transforms.Conversion.MapValueToKey(label, label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue);
        }
    }

    // The columns a split or fold reads must exist with a type it can read; stratifying needs classes.
    private static void CheckSplit(WorkflowDefinition definition, DataViewSchema schema)
    {
        var step = definition.TestScheme ?? "Split";
        if (definition.Stratify && definition.Trainer!.Task == LearningTask.Regression)
        {
            throw new WorkflowValidationException(
                step, definition.Label!, "stratify keeps each class's share of rows, but a regression label has no classes; split at random or by a group");
        }

        if (definition.GroupColumn is { } group)
        {
            var column = schema.GetColumnOrNull(group)
                ?? throw new WorkflowValidationException(step, group, $"the group column '{group}' does not exist; columns: {Quote(string.Join(", ", schema.Select(c => c.Name)))}");
            if (!Splitting.ColumnReader.CanReadKeys(column.Type))
            {
                throw new WorkflowValidationException(step, group, $"the group column must be a scalar of text, numbers, Booleans or dates, but '{group}' is {column.Type}");
            }
        }

        if (definition.SplitColumn is { } split)
        {
            var column = schema.GetColumnOrNull(split.Column)
                ?? throw new WorkflowValidationException("SplitBy", split.Column, $"column '{split.Column}' does not exist; columns: {Quote(string.Join(", ", schema.Select(c => c.Name)))}");
            var fits = split.IsMarker ? column.Type is BooleanDataViewType
                : split.NumberFrom is not null ? column.Type is NumberDataViewType
                : column.Type is DateTimeDataViewType;
            if (!fits)
            {
                throw new WorkflowValidationException("SplitBy", split.Column, $"the split needs {split.Expected}, but '{split.Column}' is {column.Type}");
            }
        }
    }

    private static string Quote(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 199), "…");
}
