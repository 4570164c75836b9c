namespace MlWorkflow.Tracking.Search;

/// <summary>One parsed and validated clause of a filter: <c>&lt;kind&gt;.&lt;key&gt; &lt;comparator&gt; &lt;value&gt;</c>.</summary>
/// <param name="Kind">The entity the identifier names, aliases resolved.</param>
/// <param name="Key">The key; for attributes and dataset fields, the canonical field name (<c>created</c> → <c>start_time</c>).</param>
/// <param name="Comparator">The comparator, one of those the field accepts.</param>
/// <param name="Value">The value, of the type the field accepts.</param>
/// <param name="Position">The 0-based position of the clause in the filter string.</param>
internal sealed record SearchClause(SearchIdentifierKind Kind, string Key, SearchComparator Comparator, SearchValue Value, int Position);
