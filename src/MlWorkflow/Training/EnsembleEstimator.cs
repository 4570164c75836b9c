using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlWorkflow.Features;

namespace MlWorkflow.Training;

/// <summary>
/// Fits an ensemble's members one after the other on the same rows, each writing its prediction to a column of its own,
/// then averages them with ML.NET's <c>Expression</c> transform (at most five inputs each, so larger ensembles add in
/// steps). The fitted model is a chain of ML.NET's own transformers: it saves, loads and serves as any other model.
/// </summary>
internal sealed class EnsembleEstimator : IEstimator<ITransformer>
{
    private const int ExpressionInputs = 5;
    private readonly TrainerContext _context;
    private readonly IReadOnlyList<EnsembleMember> _members;
    private readonly LearningTask _task;

    public EnsembleEstimator(TrainerContext context, IReadOnlyList<EnsembleMember> members, LearningTask task)
    {
        _context = context;
        _members = members;
        _task = task;
    }

    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Build(ColumnTypes.ToShape(input.Schema)).Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => Build(inputSchema).GetOutputSchema(inputSchema);

    private EstimatorChain<Microsoft.ML.Transforms.ColumnSelectingTransformer> Build(SchemaShape shape)
    {
        var ml = _context.MLContext;
        var features = _context.FeatureColumn;
        var scaled = $"{features}.ensemble_scaled";
        var prediction = _task == LearningTask.BinaryClassification ? "Probability" : "Score";
        var temporary = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();

        // Linear members read features scaled to [-1, 1] as the workflow scales them for one linear trainer, unless the
        // features are already marked normalised.
        var normalized = ColumnTypes.IsMarkedNormalized(shape, features);
        if (!normalized && _members.Any(m => m.Trainer.NeedsNormalization))
        {
            chain = chain.Append(ml.Transforms.NormalizeMinMax(scaled, features));
            temporary.Add(scaled);
        }

        var outputs = new List<string>();
        for (var i = 0; i < _members.Count; i++)
        {
            var member = _members[i].Trainer;
            if (member.Seed is null && _context.Seed is { } seed)
            {
                member = member.WithSeed(seed);
            }

            // Every member trains in the ensemble's context (seeded by the ensemble's seed), so that cancelling it reaches them all.
            var input = member.NeedsNormalization && !normalized ? scaled : features;
            var output = string.Create(CultureInfo.InvariantCulture, $"{prediction}.member_{i + 1}");
            chain = chain.Append(member.CreateEstimator(ml, _context.LabelColumn, input))
                .Append(ml.Transforms.CopyColumns(output, prediction));
            outputs.Add(output);
            temporary.Add(output);
        }

        // The weighted sum, five inputs at a time: each later step adds up to four members to the sum so far.
        string? sum = null;
        for (var next = 0; next < outputs.Count;)
        {
            var take = Math.Min(outputs.Count - next, sum is null ? ExpressionInputs : ExpressionInputs - 1);
            var last = next + take == outputs.Count;
            var target = last ? prediction : string.Create(CultureInfo.InvariantCulture, $"{prediction}.ensemble_sum_{next + take}");
            List<string> parameters = sum is null ? [] : ["s"];
            List<string> terms = sum is null ? [] : ["s"];
            List<string> inputs = sum is null ? [] : [sum];
            for (var i = next; i < next + take; i++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"m{i + 1}");
                parameters.Add(name);
                terms.Add($"{Literal(_members[i].Weight)} * {name}");
                inputs.Add(outputs[i]);
            }

            var expression = new StringBuilder().Append('(').AppendJoin(", ", parameters).Append(") => ").AppendJoin(" + ", terms).ToString();
            chain = chain.Append(ml.Transforms.Expression(target, expression, [.. inputs]));
            if (!last)
            {
                temporary.Add(target);
            }

            (sum, next) = (target, next + take);
        }

        if (_task == LearningTask.BinaryClassification)
        {
            // The score as the log-odds of the averaged probability (finite where the average is 0 or 1), and the label where it is above 0.5.
            chain = chain.Append(ml.Transforms.Expression("Score", "p => log((p + 0.0000001) / (1 - p + 0.0000001))", "Probability"))
                .Append(ml.Transforms.Expression("PredictedLabel", "s => s > 0", "Score"));
        }

        return chain.Append(ml.Transforms.DropColumns([.. temporary]));
    }

    // A weight as the expression language reads it: plain decimal digits, never an exponent.
    private static string Literal(double weight) => weight.ToString("0.0###########", CultureInfo.InvariantCulture);
}
