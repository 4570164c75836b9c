namespace MlWorkflow.Tracking.Search;

/// <summary>The value of a clause: a number, a string, or a list of strings (after IN / NOT IN).</summary>
/// <param name="Number">The number, for numeric fields.</param>
/// <param name="Text">The unquoted string, for string fields with a scalar comparator.</param>
/// <param name="List">The unquoted strings, for IN / NOT IN.</param>
internal sealed record SearchValue(double Number, string? Text, IReadOnlyList<string>? List);
