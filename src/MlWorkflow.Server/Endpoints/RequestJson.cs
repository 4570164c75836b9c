using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Endpoints;

/// <summary>Reads request parameters and writes answers the way MLflow's server does (the JSON mapping in MLflow's REST API documentation, https://mlflow.org/docs/latest/rest-api.html).</summary>
internal static class RequestJson
{
    /// <summary>The largest body buffer taken from the shared pool: log-batch's limit, rounded up to the pool's next size.</summary>
    private const int MaxPooledBytes = 1024 * 1024;

    /// <summary>The most of a refused body the server reads (and drops) to answer its client cleanly; beyond it the connection is reset.</summary>
    private const long MaxDrainedBytes = 128L * 1024 * 1024;

    /// <summary>
    /// Runs a JSON-body endpoint: a body larger than log-batch's (or of unknown length) waits for its turn in
    /// <see cref="ServerContext.LargeBodies"/>, for the whole request.
    /// </summary>
    public static async Task WithBodyAsync<T>(HttpContext context, ServerContext server, JsonTypeInfo<T> type, long limit, Func<T, HttpContext, Task> handle)
        where T : new()
    {
        var large = context.Request.ContentLength is not { } length || length > MaxPooledBytes;
        if (large)
        {
            await server.LargeBodies.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }

        try
        {
            var body = await ReadBodyAsync(context, type, limit).ConfigureAwait(false);
            await handle(body, context).ConfigureAwait(false);
        }
        finally
        {
            if (large)
            {
                server.LargeBodies.Release();
            }
        }
    }

    /// <summary>Reads a JSON body: POST needs <c>Content-Type: application/json</c>; an empty body is <c>{}</c>.</summary>
    public static async Task<T> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> type, long limit)
        where T : new()
    {
        var request = context.Request;
        if (HttpMethods.IsPost(request.Method))
        {
            if (string.IsNullOrEmpty(request.ContentType))
            {
                throw MlflowException.InvalidParameter("Bad Request. Content-Type header is missing.");
            }

            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                throw MlflowException.InvalidParameter("Bad Request. Content-Type must be one of ['application/json'].");
            }
        }

        // Up to MaxDrainedBytes, a body over the limit is read and dropped so that the client reads the 400 instead of a reset upload.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = Math.Max(limit, MaxDrainedBytes);
        }

        if (request.ContentLength > limit)
        {
            await DrainAsync(context, request.ContentLength.Value).ConfigureAwait(false);
            throw TooLarge(limit);
        }

        // A pooled buffer of the announced length (no growth, no large-object-heap array per log-batch); grown by doubling when the length is unknown.
        // Beyond log-batch's size the buffer is a plain array: the shared pool would keep a hostile 30 MB body's buffer for the process's life.
        var buffer = Rent(request.ContentLength is > 0 and var announced && announced < limit ? (int)announced + 1 : 16 * 1024);
        var count = 0;
        try
        {
            while (true)
            {
                if (count == buffer.Length)
                {
                    var larger = Rent((int)Math.Min(Math.Max(buffer.Length * 2L, 16 * 1024), Math.Min(limit + 1, Array.MaxLength)));
                    buffer.AsSpan(0, count).CopyTo(larger);
                    Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(count), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                count += read;
                if (count > limit)
                {
                    await DrainAsync(context, null).ConfigureAwait(false);
                    throw TooLarge(limit);
                }
            }

            var json = buffer.AsSpan(0, count);
            if (json.Trim(" \t\r\n"u8).IsEmpty)
            {
                return new T();
            }

            try
            {
                return JsonSerializer.Deserialize(json, type) ?? new T();
            }
            catch (JsonException e)
            {
                throw InvalidJson(e);
            }
        }
        finally
        {
            Return(buffer);
        }
    }

    /// <summary>Reads the rest of a refused body into a small scratch buffer (memory stays flat), unless it announces more than <see cref="MaxDrainedBytes"/>.</summary>
    private static async Task DrainAsync(HttpContext context, long? announced)
    {
        if (announced > MaxDrainedBytes)
        {
            return;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await context.Request.Body.ReadAsync(scratch, context.RequestAborted).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Past MaxDrainedBytes: the connection is closed after the answer.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static byte[] Rent(int length) => length <= MaxPooledBytes ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= MaxPooledBytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The longest page token accepted: tokens are issued by the store (a few dozen characters here, a few hundred elsewhere).</summary>
    public const int MaxPageTokenLength = 16 * 1024;

    /// <summary>A page token, null when empty; a 400 when far longer than any store issues, before the store spends memory on it.</summary>
    public static string? PageToken(string? token) =>
        string.IsNullOrEmpty(token) ? null
        : token.Length <= MaxPageTokenLength ? token
        : throw MlflowException.InvalidParameter($"Invalid page_token '{Excerpt.Of(token)}': it is not a token this server issued. Send the next_page_token of the previous page, or none for the first page.");

    public static string? Query(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values[0];
    }

    public static List<string>? QueryAll(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        return values.Count == 0 ? null : values.Where(v => v is not null).Select(v => v!).ToList();
    }

    public static long? QueryInt64(HttpContext context, string name)
    {
        var text = Query(context, name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw MlflowException.InvalidParameter($"Invalid value \"{Excerpt.Of(text)}\" for parameter '{name}' supplied:  Hint: Value was of type 'str'. See the API docs for more information about request parameters.");
    }

    public static string Required(string? value, string name) =>
        string.IsNullOrEmpty(value)
            ? throw MlflowException.InvalidParameter($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.")
            : value;

    public static T Required<T>(T? value, string name)
        where T : struct =>
        value ?? throw MlflowException.InvalidParameter($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    public static int ToInt32(long value, string name) =>
        value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw MlflowException.InvalidParameter($"Invalid value {value} for parameter '{name}' supplied. It must be at most {int.MaxValue}.");

    public static async Task WriteAsync<T>(HttpContext context, T value, JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        // Not cancelled by the client going away: the answer of an applied write must reach the idempotency cache.
        await JsonSerializer.SerializeAsync(context.Response.Body, value, type, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// A malformed body as a plain 400 naming the field, never the serializer's message (which names .NET types, and may
    /// quote the input): a value of the wrong type has a path (<c>$.metrics[0].value</c>), a syntax error a line and byte.
    /// </summary>
    private static MlflowException InvalidJson(JsonException e)
    {
        var position = string.Create(CultureInfo.InvariantCulture, $"line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        if (e.GetType() != typeof(JsonException))
        {
            return MlflowException.InvalidParameter($"Malformed JSON in the request body ({position}). Send a JSON object.");
        }

        var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? Excerpt.Of(path[2..]) : null;
        return field is null
            ? MlflowException.InvalidParameter($"Invalid request body ({position}): it must be a JSON object whose fields have the types of the API docs.")
            : MlflowException.InvalidParameter($"Invalid value for parameter '{field}' supplied ({position}): it has the wrong type. See the API docs for more information about request parameters.");
    }

    private static MlflowException TooLarge(long limit) =>
        MlflowException.InvalidParameter($"The request body is larger than {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes, the most this endpoint accepts.");
}
