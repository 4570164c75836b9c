using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlWorkflow.Serving.Diagnostics;
using MlWorkflow.Serving.Protocol;

namespace MlWorkflow.Serving.Hosting;

/// <summary>
/// The handlers of MLflow's scoring protocol: <c>/ping</c>, <c>/health</c>, <c>/version</c>, <c>/invocations</c>.
/// See https://mlflow.org/docs/latest/deployment/deploy-model-locally.html.
/// </summary>
internal static class ScoringEndpoints
{
    /// <summary>MLflow's error code for a request that ran out of time (answered 504).</summary>
    internal const string DeadlineExceeded = "DEADLINE_EXCEEDED";

    // A byte order mark some clients put before a JSON or CSV body.
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    // Quotes and non-ASCII text as they are, as MLflow writes them: the answers are application/json, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The package version <c>/version</c> reports.</summary>
    public static readonly string ServerVersion = typeof(ScoringEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static Task PingAsync(HttpContext context, ScoringEndpointState state)
    {
        // As MLflow's: a newline with a JSON content type once the model is loaded, 404 before.
        var loaded = state.Holder.Current is not null;
        context.Response.StatusCode = loaded ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(loaded ? "\n" : "The model is not loaded yet.\n", context.RequestAborted);
    }

    public static async Task VersionAsync(HttpContext context, ScoringEndpointState state)
    {
        var served = state.Holder.Current;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("server_version", ServerVersion);
            writer.WriteString("model_uri", served?.ModelUri);
            writer.WriteString("registered_model_name", served?.RegisteredModelName);
            if (served?.Version is { } version)
            {
                writer.WriteString("model_version", version.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("model_version");
            }

            writer.WriteString("run_id", served?.RunId);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task InvocationsAsync(HttpContext context, ScoringEndpointState state)
    {
        var logger = state.Logger;
        var options = state.Options;
        var served = state.Holder.Current;
        var started = Stopwatch.GetTimestamp();
        using var deadline = options.RequestTimeout == Timeout.InfiniteTimeSpan ? null : CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline?.CancelAfter(options.RequestTimeout);
        var cancellationToken = deadline?.Token ?? context.RequestAborted;
        ArrayBufferWriter<byte>? output = null;
        try
        {
            if (served is null)
            {
                throw new ScoringException(503, "TEMPORARILY_UNAVAILABLE", "The model is not loaded yet; retry when /ping answers 200.");
            }

            var format = ContentTypeCheck.Check(context.Request.ContentType);
            using var read = await ReadBodyAsync(context, options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            var body = read.Memory;

            // A UTF-8 byte order mark (some Windows tools write one) is not part of the JSON or of the first CSV column's name.
            if (body.Span.StartsWith(Utf8Bom))
            {
                body = body[Utf8Bom.Length..];
            }

            var watch = Stopwatch.StartNew();
            output = RentOutput();
            var rows = 0;
            if (format == BodyFormat.Csv)
            {
                var table = CsvRequestParser.Parse(body);
                rows = table.RowCount;
                Score(served, table, null, output, cancellationToken);
            }
            else if (!TryScoreDataframeSplit(served, body.Span, output, out rows, cancellationToken))
            {
                using var request = JsonRequestParser.Parse(body, served.Scoring.InputNames, served.Scoring.SchemaText);
                rows = request.Table.RowCount;
                Score(served, request.Table, request.Parameters, output, cancellationToken);
            }

            var elapsed = watch.Elapsed.TotalMilliseconds;
            ServingLog.Scored(logger, rows, served.VersionText, elapsed);
            ServingDiagnostics.Rows.Add(rows);

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ScoringException refused)
        {
            if (refused.InnerException is { } modelError)
            {
                ServingLog.ModelFailed(logger, modelError);
            }
            else
            {
                ServingLog.RequestRefused(logger, refused.StatusCode, refused.ErrorCode, refused.Message);
            }

            await WriteErrorAsync(context, refused.StatusCode, refused.ErrorCode, refused.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException bad)
        {
            // Kestrel's own limits (body size, malformed chunking) surface while the body is read.
            var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(options.MaxRequestBodyBytes) : "The request body could not be read: " + Excerpt.Of(bad.Message);
            await WriteErrorAsync(context, bad.StatusCode, "BAD_REQUEST", message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (OperationCanceledException) when (deadline?.IsCancellationRequested == true)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"Request processing time exceeded the limit of {options.RequestTimeout.TotalSeconds:0.###} s. Send fewer rows per request, or raise the timeout (MlflowModelOptions.RequestTimeout; mlw models serve --timeout).");
            ServingLog.RequestRefused(logger, StatusCodes.Status504GatewayTimeout, DeadlineExceeded, message);
            await WriteErrorAsync(context, StatusCodes.Status504GatewayTimeout, DeadlineExceeded, message).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            ServingLog.RequestFailed(logger, error);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "The scoring server failed on this request; its log has the details.").ConfigureAwait(false);
        }
        finally
        {
            ReturnOutput(output);
            var version = new KeyValuePair<string, object?>("mlflow.model.version", served?.VersionText ?? "-");
            var status = new KeyValuePair<string, object?>("http.response.status_code", context.Response.StatusCode);
            ServingDiagnostics.Requests.Add(1, status, version);
            ServingDiagnostics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, status, version);
        }
    }

    /// <summary>Answer buffers kept for the next requests: most answers are small, and a new buffer per request is garbage the server need not make.</summary>
    private static readonly ConcurrentBag<ArrayBufferWriter<byte>> Outputs = [];

    // A buffer that grew past this (a very large answer) is dropped rather than kept.
    private const int LargestKeptOutput = 1024 * 1024;

    private static ArrayBufferWriter<byte> RentOutput()
    {
        if (Outputs.TryTake(out var output))
        {
            output.ResetWrittenCount();
            return output;
        }

        return new ArrayBufferWriter<byte>(4096);
    }

    private static void ReturnOutput(ArrayBufferWriter<byte>? output)
    {
        if (output is not null && output.Capacity <= LargestKeptOutput && Outputs.Count < 64)
        {
            Outputs.Add(output);
        }
    }

    /// <summary>The plain <c>dataframe_split</c> body read in one pass into typed columns; false, with nothing written, for any other body.</summary>
    private static bool TryScoreDataframeSplit(ServedModel served, ReadOnlySpan<byte> body, ArrayBufferWriter<byte> output, out int rows, CancellationToken cancellationToken)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        return served.Scoring.TryScoreDataframeSplit(body, writer, out rows, cancellationToken);
    }

    private static void Score(ServedModel served, InputTable table, JsonElement? parameters, ArrayBufferWriter<byte> output, CancellationToken cancellationToken)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        served.Scoring.Score(table, parameters, writer, cancellationToken);
    }

    /// <summary>
    /// How far past the limit a refused body is still read and dropped: a client still sending when the server closes
    /// the connection can lose the 413 to a TCP reset, so a body a little over the limit is drained first.
    /// </summary>
    internal const long DrainAllowance = 1024 * 1024;

    private static async Task<RequestBody> ReadBodyAsync(HttpContext context, long limit, CancellationToken cancellationToken)
    {
        var body = context.Request.Body;
        var drainable = limit + DrainAllowance;

        // The endpoint's own limit replaces the server's (Kestrel's default is about 28.6 MB) for this request.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = drainable;
        }

        if (context.Request.ContentLength is { } length && length <= limit)
        {
            // The length is known (Kestrel holds the client to it): read straight into a pooled array of that size.
            var array = ArrayPool<byte>.Shared.Rent((int)length + 1);
            try
            {
                var filled = 0;
                int read;
                while ((read = await body.ReadAsync(array.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    filled += read;
                }

                return new RequestBody(array, filled, pooled: true);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(array);
                throw;
            }
        }

        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            if (context.Request.ContentLength > limit)
            {
                if (context.Request.ContentLength <= drainable)
                {
                    await DrainAsync(body, chunk, cancellationToken).ConfigureAwait(false);
                }

                throw new ScoringException(413, "BAD_REQUEST", TooLarge(limit));
            }

            using var memory = new MemoryStream(4096);
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (memory.Length + read > limit)
                {
                    await DrainAsync(body, chunk, cancellationToken).ConfigureAwait(false);
                    throw new ScoringException(413, "BAD_REQUEST", TooLarge(limit));
                }

                memory.Write(chunk, 0, read);
            }

            return new RequestBody(memory.GetBuffer(), (int)memory.Length, pooled: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static async Task DrainAsync(Stream body, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            while (await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (BadHttpRequestException)
        {
            // Beyond the drain allowance: the server drops the connection after the 413.
        }
    }

    private static string TooLarge(long limit) =>
        string.Create(CultureInfo.InvariantCulture, $"The request body is larger than the limit of {limit:N0} bytes. Send fewer rows per request, or raise MlflowModelOptions.MaxRequestBodyBytes.");

    internal static async Task WriteErrorAsync(HttpContext context, int status, string errorCode, string message)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            // MLflow answers content-type problems in plain text.
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("error_code", errorCode);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }
}
