namespace MlWorkflow.Tracking.Search;

/// <summary>What a field accepts in a filter.</summary>
/// <param name="Field">The canonical field name (for keyed kinds such as metrics: the kind's name, for messages).</param>
/// <param name="ValueType">The value type.</param>
/// <param name="Comparators">The comparators it accepts.</param>
internal sealed record SearchFieldRule(string Field, SearchValueType ValueType, SearchComparator Comparators);
