using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Server.Endpoints;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// The endpoints MLflow's auth app adds (mlflow-protocol-2 §5.5; https://mlflow.org/docs/latest/auth/rest-api.html): users
/// and permission records, with its request and answer shapes (compact JSON, keys sorted). Only the <c>/api/2.0/</c> forms exist.
/// </summary>
internal static class AuthEndpoints
{
    private const string Api = "/api/2.0/mlflow";

    public static void Map(EndpointRoutes app, ServerContext server, AuthServices auth)
    {
        var store = auth.Store;
        var iterations = auth.Options.PasswordHashIterations;
        app.Map(HttpMethods.Post, Api + "/users/create", async context =>
        {
            // MLflow compares the header by exact equality, refusing 'application/json; charset=utf-8', which .NET's HttpClient sends: parameters are allowed here.
            var contentType = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) ? media.MediaType.Value?.ToLowerInvariant() : null;
            if (contentType is not ("application/json" or "application/x-www-form-urlencoded"))
            {
                context.Response.StatusCode = 400;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync("Invalid content type. Must be one of: application/x-www-form-urlencoded, application/json", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var form = contentType == "application/x-www-form-urlencoded";
            var body = await BodyAsync(context, server).ConfigureAwait(false);
            var username = Required(body, "username");
            var password = Required(body, "password");
            if (string.IsNullOrWhiteSpace(username))
            {
                throw MlflowException.InvalidParameter("Username cannot be empty.");
            }

            var user = await store.CreateUserAsync(username, PasswordHasher.Hash(password, iterations), isAdmin: false, CancellationToken.None).ConfigureAwait(false);
            if (form)
            {
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync($"Successfully signed up user: {Excerpt.Of(username)}", context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await WriteUserAsync(context, store, user).ConfigureAwait(false);
        }, write: true);

        app.MapGet(Api + "/users/get", async context =>
        {
            var username = Required(await BodyAsync(context, server).ConfigureAwait(false), "username");
            var user = await store.FindUserAsync(username, context.RequestAborted).ConfigureAwait(false)
                ?? throw MlflowException.NotFound($"User with username={Excerpt.Of(username)} not found");
            await WriteUserAsync(context, store, user).ConfigureAwait(false);
        });

        app.Map(HttpMethods.Patch, Api + "/users/update-password", async context =>
        {
            var body = await BodyAsync(context, server).ConfigureAwait(false);
            var username = Required(body, "username");
            await store.UpdatePasswordAsync(username, PasswordHasher.Hash(Required(body, "password"), iterations), CancellationToken.None).ConfigureAwait(false);
            await WriteAsync(context, _ => { }).ConfigureAwait(false);
        }, write: true);

        app.Map(HttpMethods.Patch, Api + "/users/update-admin", async context =>
        {
            var body = await BodyAsync(context, server).ConfigureAwait(false);
            var username = Required(body, "username");
            var admin = body.TryGetValue("is_admin", out var value) ? value : throw Missing("is_admin");
            if (admin.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new MlflowException(ErrorCode.BadRequest, $"Not a boolean value: '{Excerpt.Of(admin.ToString())}'. 'is_admin' must be true or false.");
            }

            await store.UpdateAdminAsync(username, admin.GetBoolean(), CancellationToken.None).ConfigureAwait(false);
            await WriteAsync(context, _ => { }).ConfigureAwait(false);
        }, write: true);

        app.Map(HttpMethods.Delete, Api + "/users/delete", async context =>
        {
            await store.DeleteUserAsync(Required(await BodyAsync(context, server).ConfigureAwait(false), "username"), CancellationToken.None).ConfigureAwait(false);
            await WriteAsync(context, _ => { }).ConfigureAwait(false);
        }, write: true);

        MapRecords(app, server, store, ResourceKind.Experiment, Api + "/experiments/permissions", "experiment_permission");
        MapRecords(app, server, store, ResourceKind.RegisteredModel, Api + "/registered-models/permissions", "registered_model_permission");
    }

    private static void MapRecords(EndpointRoutes app, ServerContext server, AuthStore store, ResourceKind kind, string prefix, string field)
    {
        async Task<(string Resource, string Username, Dictionary<string, JsonElement> Body)> ReadAsync(HttpContext context)
        {
            var body = await BodyAsync(context, server).ConfigureAwait(false);
            var resource = Required(body, kind.Parameter);
            return (kind == ResourceKind.Experiment ? AccessCheck.CanonicalExperimentId(resource) : resource, Required(body, "username"), body);
        }

        app.Map(HttpMethods.Post, prefix + "/create", async context =>
        {
            var (resource, username, body) = await ReadAsync(context).ConfigureAwait(false);
            var record = await store.CreateRecordAsync(kind, resource, username, Permissions.Parse(Required(body, "permission")), CancellationToken.None).ConfigureAwait(false);
            await WriteAsync(context, json => WriteRecord(json, kind, field, record)).ConfigureAwait(false);
        }, write: true);

        app.MapGet(prefix + "/get", async context =>
        {
            var (resource, username, _) = await ReadAsync(context).ConfigureAwait(false);
            var record = await store.GetRecordAsync(kind, resource, username, context.RequestAborted).ConfigureAwait(false);
            await WriteAsync(context, json => WriteRecord(json, kind, field, record)).ConfigureAwait(false);
        });

        app.Map(HttpMethods.Patch, prefix + "/update", async context =>
        {
            var (resource, username, body) = await ReadAsync(context).ConfigureAwait(false);
            await store.UpdateRecordAsync(kind, resource, username, Permissions.Parse(Required(body, "permission")), CancellationToken.None).ConfigureAwait(false);
            await WriteAsync(context, _ => { }).ConfigureAwait(false);
        }, write: true);

        app.Map(HttpMethods.Delete, prefix + "/delete", async context =>
        {
            var (resource, username, _) = await ReadAsync(context).ConfigureAwait(false);
            await store.DeleteRecordAsync(kind, resource, username, CancellationToken.None).ConfigureAwait(false);
            await WriteAsync(context, _ => { }).ConfigureAwait(false);
        }, write: true);
    }

    /// <summary>The parameters: the query string for GET, else the JSON (or form) body, whose values win over the query string's.</summary>
    private static async Task<Dictionary<string, JsonElement>> BodyAsync(HttpContext context, ServerContext server)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
        {
            values[key] = StringElement(value.ToString());
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            return values;
        }

        if (context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))
            {
                values[key] = StringElement(value.ToString());
            }

            return values;
        }

        if (context.Request.ContentLength > server.Options.MaxRequestBodyBytes)
        {
            throw MlflowException.InvalidParameter($"The request body is larger than {server.Options.MaxRequestBodyBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return values;
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw MlflowException.InvalidParameter("The request body must be a JSON object.");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                values[property.Name] = property.Value.Clone();
            }
        }
        catch (JsonException e)
        {
            throw MlflowException.InvalidParameter($"Malformed JSON in the request body: {Excerpt.Of(e.Message)}");
        }

        return values;
    }

    private static JsonElement StringElement(string text)
    {
        using var document = JsonDocument.Parse("\"" + JsonEncodedText.Encode(text).ToString() + "\"");
        return document.RootElement.Clone();
    }

    private static string Required(Dictionary<string, JsonElement> body, string name) =>
        body.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : throw Missing(name);

    private static MlflowException Missing(string name) =>
        MlflowException.InvalidParameter($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    private static async Task WriteUserAsync(HttpContext context, AuthStore store, AuthUser user)
    {
        var experiments = await store.RecordsOfUserAsync(ResourceKind.Experiment, user.Id, context.RequestAborted).ConfigureAwait(false);
        var models = await store.RecordsOfUserAsync(ResourceKind.RegisteredModel, user.Id, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, json =>
        {
            // Keys in the order MLflow's jsonify sorts them.
            json.WriteStartObject("user");
            json.WriteStartArray("experiment_permissions");
            foreach (var record in experiments)
            {
                WriteRecordFields(json, ResourceKind.Experiment, record);
            }

            json.WriteEndArray();
            json.WriteNumber("id", user.Id);
            json.WriteBoolean("is_admin", user.IsAdmin);
            json.WriteStartArray("registered_model_permissions");
            foreach (var record in models)
            {
                WriteRecordFields(json, ResourceKind.RegisteredModel, record);
            }

            json.WriteEndArray();
            json.WriteString("username", user.Username);
            json.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void WriteRecord(Utf8JsonWriter json, ResourceKind kind, string field, PermissionRecord record)
    {
        json.WritePropertyName(field);
        WriteRecordFields(json, kind, record);
    }

    private static void WriteRecordFields(Utf8JsonWriter json, ResourceKind kind, PermissionRecord record)
    {
        json.WriteStartObject();
        if (kind == ResourceKind.Experiment)
        {
            json.WriteString("experiment_id", record.Resource);
            json.WriteString("permission", record.Permission.ToWireName());
        }
        else
        {
            json.WriteString("name", record.Resource);
            json.WriteString("permission", record.Permission.ToWireName());
        }

        json.WriteNumber("user_id", record.UserId);
        json.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }
}
