namespace MlWorkflow.Features;

/// <summary>What a missing (NaN) value is replaced with.</summary>
public enum MissingValueReplacement
{
    /// <summary>The mean of the column in training.</summary>
    Mean,

    /// <summary>The minimum of the column in training.</summary>
    Minimum,

    /// <summary>The maximum of the column in training.</summary>
    Maximum,

    /// <summary>The type's default value (0).</summary>
    DefaultValue,

    /// <summary>A constant chosen by the user.</summary>
    Constant,

    /// <summary>The median of the column in training (scalar columns only), robust to outliers where the mean is not; 0 when training has no value.</summary>
    Median,
}
