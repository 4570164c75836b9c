namespace MlWorkflow.Tracking.Search;

/// <summary>The type of value a field compares with.</summary>
internal enum SearchValueType
{
    /// <summary>A number (unquoted).</summary>
    Number,

    /// <summary>A quoted string, or a list of quoted strings after IN / NOT IN.</summary>
    String,
}
