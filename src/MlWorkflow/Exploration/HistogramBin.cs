namespace MlWorkflow.Exploration;

/// <summary>One bin of a histogram: the values in [<paramref name="Lower"/>, <paramref name="Upper"/>), the last bin closed.</summary>
/// <param name="Lower">The lower edge.</param>
/// <param name="Upper">The upper edge.</param>
/// <param name="Count">The rows whose value falls in the bin.</param>
public sealed record HistogramBin(double Lower, double Upper, long Count);
