namespace MlWorkflow.Tracking;

/// <summary>Follows a store's page tokens, as MLflow's <c>search_*</c> functions do, until enough items or the last page.</summary>
internal static class Paging
{
    /// <summary>
    /// Calls <paramref name="fetchPage"/> with the next page token and the number of items still wanted, until
    /// <paramref name="maxResults"/> items or a page without a next token.
    /// </summary>
    public static async Task<IReadOnlyList<T>> CollectAsync<T>(Func<string?, int, Task<PagedList<T>>> fetchPage, int maxResults = int.MaxValue)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var page = await fetchPage(token, maxResults - all.Count).ConfigureAwait(false);
            all.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null && all.Count < maxResults);
        return all;
    }
}
