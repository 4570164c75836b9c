namespace MlWorkflow.Tracking;

/// <summary>One page of results and the token of the next page.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="NextPageToken">The token to pass for the next page; null on the last page.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, string? NextPageToken)
{
    /// <summary>An empty last page.</summary>
    public static PagedList<T> Empty { get; } = new(Array.Empty<T>(), null);
}
