namespace MlWorkflow.Tracking.Search;

/// <summary>One parsed order_by clause.</summary>
/// <param name="Kind">The entity the identifier names, aliases resolved.</param>
/// <param name="Key">The key; for attributes, the canonical field name.</param>
/// <param name="Ascending">True for ASC (the default), false for DESC.</param>
internal sealed record SearchOrderKey(SearchIdentifierKind Kind, string Key, bool Ascending);
