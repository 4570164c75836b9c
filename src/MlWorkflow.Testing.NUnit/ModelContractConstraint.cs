using Microsoft.ML;
using MlWorkflow.Testing.Contracts;
using MlWorkflow.Tracking;

namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// A contract check on a logged model, applied to its URI (<c>runs:/…/model</c>, <c>models:/Name/1</c>…) or to a tracked
/// <see cref="WorkflowResult"/> (its logged model): <c>Is.ScorableOn(golden)</c> or <c>Has.ScorableInputExample</c>.
/// </summary>
public sealed class ModelContractConstraint : ModelCheckConstraint
{
    private readonly IDataView? _inputs;
    private readonly List<string> _ignored = [];

    internal ModelContractConstraint(IDataView? inputs)
    {
        _inputs = inputs;
    }

    /// <summary>What the constraint expects.</summary>
    public override string Description => _inputs is null ? "a model whose input example scores" : "a model whose signature accepts the golden inputs";

    /// <summary>The client that resolves the model's URI. The default: a tracked result's own client, else one from <c>MLFLOW_TRACKING_URI</c>.</summary>
    /// <param name="client">The client.</param>
    /// <returns>This constraint.</returns>
    public ModelContractConstraint Using(MlflowClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        return this;
    }

    /// <summary>Columns of the golden inputs the signature need not have, such as the label.</summary>
    /// <param name="columns">The columns.</param>
    /// <returns>This constraint.</returns>
    public ModelContractConstraint Ignoring(params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _ignored.AddRange(columns);
        return this;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The actual value is neither a model URI nor a tracked result with a logged model.</exception>
    protected override async Task<(bool Passed, string Message)> CheckAsync(object? actual, MlflowClient client, CancellationToken cancellationToken)
    {
        var uri = actual switch
        {
            string s when s.Length > 0 => s,
            WorkflowResult { Tracking.ModelUri: { } logged } => logged,
            _ => throw new ArgumentException($"A model contract applies to a model URI or a tracked WorkflowResult with a logged model, not {actual?.GetType().Name ?? "null"}.", nameof(actual)),
        };
        var result = _inputs is null
            ? await ModelContract.CheckInputExampleAsync(client, uri, cancellationToken).ConfigureAwait(false)
            : await ModelContract.CheckInputsAsync(client, uri, _inputs, _ignored, cancellationToken).ConfigureAwait(false);
        return (result.Passed, result.Message);
    }
}
