namespace MlWorkflow.Exploration;

/// <summary>One value of a column and how many rows hold it.</summary>
/// <param name="Value">The value as invariant text (<c>true</c>, <c>3.5</c>, <c>Adelie</c>).</param>
/// <param name="Count">The rows that hold it.</param>
public sealed record ValueCount(string Value, long Count);
