namespace MlWorkflow.Exploration;

/// <summary>Count, mean and sum of squared deviations in one pass (Welford's update), stable for large values.</summary>
internal sealed class RunningMoments
{
    public long Count { get; private set; }

    public double Mean { get; private set; }

    public double SumOfSquares { get; private set; }

    public void Add(double value)
    {
        Count++;
        var delta = value - Mean;
        Mean += delta / Count;
        SumOfSquares += delta * (value - Mean);
    }
}
