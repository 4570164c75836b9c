using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MlWorkflow.Tracking.Search;

/// <summary>
/// MLflow's FileStore page tokens: base64 of the JSON <c>{"offset": N}</c> exactly as Python's <c>json.dumps</c> writes
/// it (<c>{"offset": 100}</c> → <c>eyJvZmZzZXQiOiAxMDB9</c>), and paging of a sorted result list.
/// </summary>
internal static class SearchPageToken
{
    /// <summary>The largest page size for runs and experiments.</summary>
    public const int MaxResultsLimit = 50_000;

    /// <summary>Reads the offset of a token; null or empty is the first page (0).</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> "Invalid page token" when it is not one of ours.</exception>
    public static int Decode(string? token) => DecodeWithPosition(token).Offset;

    /// <summary>
    /// Reads the offset of a token and the byte position a metric-history token also carries
    /// (<c>{"offset": N, "position": P}</c>; null when it has none). Null or empty is the first page (0, null).
    /// </summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> "Invalid page token" when it is not one of ours.</exception>
    public static (int Offset, long? Position) DecodeWithPosition(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (0, null);
        }

        // Our tokens are a few dozen characters: a long one is not ours, and is refused before it is decoded.
        if (token.Length > 1024)
        {
            throw Invalid(token, "it is longer than any page token this store writes");
        }

        var bytes = new byte[(token.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(token, bytes, out var length))
        {
            throw Invalid(token, "it is not base64");
        }

        try
        {
            using var json = JsonDocument.Parse(bytes.AsMemory(0, length));
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("offset", out var offset)
                && offset.ValueKind == JsonValueKind.Number
                && offset.TryGetInt32(out var value)
                && value >= 0)
            {
                long? position = json.RootElement.TryGetProperty("position", out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt64(out var at) && at >= 0 ? at : null;
                return (value, position);
            }
        }
        catch (JsonException)
        {
            // reported below
        }

        throw Invalid(token, "it does not hold {\"offset\": N} with a non-negative integer N");
    }

    /// <summary>The token of a metric-history page that starts at point <paramref name="nextOffset"/>, byte <paramref name="position"/> of the file.</summary>
    public static string Encode(int nextOffset, long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nextOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"offset\": {nextOffset}, \"position\": {position}}}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>The token of the page that starts at <paramref name="nextOffset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The offset is negative.</exception>
    public static string Encode(int nextOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nextOffset);
        var json = string.Create(CultureInfo.InvariantCulture, $"{{\"offset\": {nextOffset}}}");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>
    /// The page of <paramref name="sortedItems"/> that <paramref name="pageToken"/> starts, of at most
    /// <paramref name="maxResults"/> items, with the next page's token when items remain.
    /// </summary>
    /// <param name="sortedItems">Every result, in order.</param>
    /// <param name="maxResults">The page size.</param>
    /// <param name="pageToken">The token of a previous page; null for the first page.</param>
    /// <param name="maxResultsLimit">The largest page size: 50,000 for runs and experiments (1,000 for registered models, 200,000 for model versions).</param>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for a page size outside 1 to the limit, or a bad token.</exception>
    public static PagedList<T> Page<T>(IReadOnlyList<T> sortedItems, int maxResults, string? pageToken, int maxResultsLimit = MaxResultsLimit)
    {
        ArgumentNullException.ThrowIfNull(sortedItems);
        ValidateMaxResults(maxResults, maxResultsLimit);
        var offset = Decode(pageToken);
        if (offset >= sortedItems.Count)
        {
            return PagedList<T>.Empty;
        }

        var count = Math.Min(maxResults, sortedItems.Count - offset);
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = sortedItems[offset + i];
        }

        var next = offset + count;
        return new PagedList<T>(items, next < sortedItems.Count ? Encode(next) : null);
    }

    /// <summary>Refuses a page size outside 1 to <paramref name="maxResultsLimit"/>, in MLflow's words.</summary>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> for a page size out of range.</exception>
    public static void ValidateMaxResults(int maxResults, int maxResultsLimit = MaxResultsLimit)
    {
        if (maxResults < 1 || maxResults > maxResultsLimit)
        {
            throw MlflowException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture,
                $"Invalid value {maxResults} for parameter 'max_results' supplied. It must be a positive integer at most {maxResultsLimit}."));
        }
    }

    /// <summary>
    /// For rows read one more than the page (a query's LIMIT), drops what is past <paramref name="maxResults"/> and returns
    /// the next page's token: the page read from <paramref name="offset"/> ends there; null when nothing was past it.
    /// </summary>
    public static string? TrimToPage<T>(List<T> rows, int offset, int maxResults)
    {
        if (rows.Count <= maxResults)
        {
            return null;
        }

        rows.RemoveRange(maxResults, rows.Count - maxResults);
        return Encode(offset + maxResults);
    }

    private static MlflowException Invalid(string token, string why) =>
        MlflowException.InvalidParameter($"Invalid page token '{Validation.TrackingValidation.Printable(token)}': {why}. Pass the next_page_token of a previous page, or none for the first page.");
}
