namespace MlWorkflow.Data;

/// <summary>What a columnar source (Parquet, Arrow, Delta) does with a null value.</summary>
public enum MissingValuePolicy
{
    /// <summary>Substitute ML.NET's missing value: <c>NaN</c> for floating columns (and decimals, read as <c>double</c>);
    /// integers, booleans, dates and times get their default (0, <c>false</c>, <see cref="DateTime.MinValue"/>),
    /// because ML.NET has no missing value for them; text gets the empty string; vectors are empty.</summary>
    Substitute,

    /// <summary>Throw a <see cref="DataSourceException"/> naming the file, row group, row and column of the first null.</summary>
    Fail,
}
