using Microsoft.ML;

namespace MlWorkflow.Testing.NUnit;

/// <summary>The first steps of <c>Is.NoWorseThan("models:/cars/Production").On(golden).By("rmse", margin: 0.01)</c>: the champion, then the data.</summary>
public sealed class ChallengerConstraintBuilder
{
    private IDataView? _data;

    internal ChallengerConstraintBuilder(string championUri)
    {
        ChampionUri = championUri;
    }

    /// <summary>The champion's model URI.</summary>
    public string ChampionUri { get; }

    /// <summary>The golden data both models are evaluated on, with the label column.</summary>
    /// <param name="data">The data.</param>
    /// <returns>This builder, to finish with <see cref="By"/>.</returns>
    public ChallengerConstraintBuilder On(IDataView data)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        return this;
    }

    /// <summary>The metric compared and how much worse than the champion the candidate may be.</summary>
    /// <param name="metric">The metric, such as <c>rmse</c> or <c>accuracy</c>.</param>
    /// <param name="margin">How much worse the candidate may be, in the metric's units. The default value is 0.</param>
    /// <returns>The constraint.</returns>
    /// <exception cref="InvalidOperationException"><see cref="On"/> was not called first.</exception>
    public ChallengerConstraint By(string metric, double margin = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        var data = _data ?? throw new InvalidOperationException("Name the golden data first: Is.NoWorseThan(uri).On(data).By(metric, margin).");
        return new ChallengerConstraint(ChampionUri, data, metric, margin);
    }
}
