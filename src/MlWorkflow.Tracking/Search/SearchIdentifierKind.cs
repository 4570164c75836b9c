namespace MlWorkflow.Tracking.Search;

/// <summary>The entity an identifier names: the part before the first dot, after its aliases are resolved.</summary>
internal enum SearchIdentifierKind
{
    /// <summary>A fixed attribute of the entity (<c>attributes.status</c>, <c>name</c>…).</summary>
    Attribute,

    /// <summary>A metric (latest value).</summary>
    Metric,

    /// <summary>A parameter.</summary>
    Param,

    /// <summary>A tag.</summary>
    Tag,

    /// <summary>A field of the run's dataset inputs (<c>name</c>, <c>digest</c>, <c>context</c>).</summary>
    Dataset,
}
