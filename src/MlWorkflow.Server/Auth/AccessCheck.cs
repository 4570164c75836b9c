using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using MlWorkflow.Server.Endpoints;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// One request being checked: its caller and its parameters, read from where the endpoint reads them: the route, the query
/// string for GET, else the JSON body (or the UI's form) and the query string for what the body lacks. A JSON property given
/// twice counts by its last value, as the endpoints' deserializer takes it.
/// </summary>
internal sealed class AccessCheck(HttpContext context, AuthUser user, AccessControl access, long maxBodyBytes)
{
    private JsonDocument? _json;
    private IFormCollection? _form;
    private bool _bodyRead;

    public HttpContext Context => context;

    public AuthUser User => user;

    public AccessControl Access => access;

    public CancellationToken Aborted => context.RequestAborted;

    /// <summary>Every value given for a parameter (several for lists such as <c>experiment_ids</c>).</summary>
    public async Task<IReadOnlyList<string>> ValuesAsync(string name)
    {
        if (context.Request.RouteValues.TryGetValue(name, out var routed) && routed is string fromRoute)
        {
            return [fromRoute];
        }

        var query = context.Request.Query[name];
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            return [.. query.Where(v => v is not null).Select(v => v!)];
        }

        await ReadBodyAsync().ConfigureAwait(false);
        if (_form is not null && _form.TryGetValue(name, out var field))
        {
            // Trimmed, as the UI's actions read their fields.
            return [.. field.Where(v => v is not null).Select(v => v!.Trim())];
        }

        if (_json is { RootElement.ValueKind: JsonValueKind.Object } json)
        {
            JsonElement? last = null;
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    last = property.Value;
                }
            }

            if (last is { } value && value.ValueKind != JsonValueKind.Null)
            {
                return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(Text)] : [Text(value)];
            }
        }

        return [.. query.Where(v => v is not null).Select(v => v!)];
    }

    /// <summary>The one value of a required parameter; MLflow's 400 when missing.</summary>
    public async Task<string> RequiredAsync(params string[] names)
    {
        foreach (var name in names)
        {
            if ((await ValuesAsync(name).ConfigureAwait(false)) is [var value, ..] && value.Length > 0)
            {
                return value;
            }
        }

        throw MlflowException.InvalidParameter($"Missing value for required parameter '{names[0]}'. See the API docs for more information about request parameters.");
    }

    public Task<bool> AllowsAsync(ResourceKind kind, string resource, Capability capability) =>
        access.AllowsAsync(user, kind, kind == ResourceKind.Experiment ? CanonicalExperimentId(resource) : resource, capability, Aborted);

    /// <summary>A numeric id without leading zeros: the SQL store reads <c>05</c> as experiment 5, so its record must apply.</summary>
    public static string CanonicalExperimentId(string id)
    {
        if (id.Length < 2 || id[0] != '0' || !id.All(char.IsAsciiDigit))
        {
            return id;
        }

        var trimmed = id.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    public async Task<bool> AllowsRunAsync(string runId, Capability capability) =>
        await AllowsAsync(ResourceKind.Experiment, await access.ExperimentOfRunAsync(runId, Aborted).ConfigureAwait(false), capability).ConfigureAwait(false);

    private async Task ReadBodyAsync()
    {
        if (_bodyRead)
        {
            return;
        }

        _bodyRead = true;
        var request = context.Request;
        if (request.HasFormContentType)
        {
            _form = await request.ReadFormAsync(Aborted).ConfigureAwait(false);
            return;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (request.ContentLength > maxBodyBytes)
        {
            throw MlflowException.InvalidParameter($"The request body is larger than {maxBodyBytes} bytes.");
        }

        // The endpoint reads the body again: it is kept and rewound, in memory up to a log-batch's limit (a 1,000-point batch
        // is ~70 KB, which ASP.NET's default 30 KB threshold would send through a temporary file), in a temporary file beyond.
        request.EnableBuffering((int)Math.Min(maxBodyBytes, TrackingEndpoints.MaxLogBatchBytes), maxBodyBytes);
        try
        {
            _json = await JsonDocument.ParseAsync(request.Body, default, Aborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // The endpoint answers malformed JSON with its own 400; nothing is taken from it here.
        }
        catch (IOException)
        {
            throw MlflowException.InvalidParameter($"The request body is larger than {maxBodyBytes} bytes.");
        }

        request.Body.Position = 0;
        if (_json is not null)
        {
            context.Response.RegisterForDispose(_json);
        }
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
