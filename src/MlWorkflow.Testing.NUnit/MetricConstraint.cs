using MlWorkflow.Evaluation;
using MlWorkflow.Testing.Metrics;
using MlWorkflow.Tracking;
using NUnit.Framework.Constraints;

namespace MlWorkflow.Testing.NUnit;

/// <summary>
/// An NUnit constraint on one metric of a <see cref="WorkflowResult"/>, a <see cref="MetricSet"/>, a <see cref="Run"/> or a
/// <see cref="MetricSubject"/>; made by <see cref="MlHas.Metric"/>. The failure names the metric, both values, the run and the data set's digest.
/// </summary>
public sealed class MetricConstraint : Constraint
{
    private readonly string _name;
    private readonly Func<MetricExpectation, MetricCheckResult> _check;
    private readonly string _expected;

    internal MetricConstraint(string name, string expected, Func<MetricExpectation, MetricCheckResult> check)
        : base(name, expected)
    {
        _name = name;
        _expected = expected;
        _check = check;
    }

    /// <summary>What the constraint expects, such as <c>metric 'rmse' less than 0.2</c>.</summary>
    public override string Description => $"metric '{_name}' {_expected}";

    /// <summary>Checks the metric of the actual value.</summary>
    /// <typeparam name="TActual">A <see cref="WorkflowResult"/>, <see cref="MetricSet"/>, <see cref="Run"/> or <see cref="MetricSubject"/>.</typeparam>
    /// <param name="actual">The value holding the metrics.</param>
    /// <returns>The result, whose message is that of <see cref="MetricCheckResult.Message"/>.</returns>
    /// <exception cref="ArgumentException">The actual value holds no metrics.</exception>
    public override ConstraintResult ApplyTo<TActual>(TActual actual)
    {
        MetricSubject subject = actual switch
        {
            MetricSubject s => s,
            WorkflowResult r => MetricSubject.From(r),
            Run r => MetricSubject.From(r),
            IReadOnlyDictionary<string, double> m => new MetricSubject(m),
            _ => throw new ArgumentException(
                $"A metric constraint applies to a WorkflowResult, MetricSet, Run or MetricSubject, not {actual?.GetType().Name ?? "null"}.", nameof(actual)),
        };
        var outcome = _check(subject.Metric(_name));
        return new MetricConstraintResult(this, actual, outcome);
    }
}
