using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MlWorkflow.Cli.Output;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.Rest;

namespace MlWorkflow.Cli.Commands;

/// <summary>
/// <c>mlw users create|get|update-password|update-admin|delete|grant|revoke</c>: users and permissions of a server with
/// auth (<c>mlw server --auth</c> or MLflow's basic-auth app), through its REST endpoints, as the user of
/// <c>MLFLOW_TRACKING_USERNAME</c>/<c>MLFLOW_TRACKING_PASSWORD</c> (or <c>MLFLOW_TRACKING_TOKEN</c>). Passwords are read from
/// standard input, never from the command line.
/// </summary>
internal static class UsersCommand
{
    private const string Api = "/api/2.0/mlflow";

    public static Command Create()
    {
        var group = new Command("users", "Manage the users and permissions of a tracking server with auth (mlw server --auth, MLflow's basic-auth app).").WithTrackingOptions();
        var username = () => new Option<string>("--username", "-u") { Description = "The user's name.", Required = true };

        var create = Simple("create", "Create a user; the password is read from standard input (one line).", username(), async (client, name, _, token) =>
            await client.SendAsync(HttpMethod.Post, "/users/create", new JsonObject { ["username"] = name, ["password"] = ReadPassword() }, token).ConfigureAwait(false));
        var get = Simple("get", "Show a user and their permission records.", username(), async (client, name, _, token) =>
            await client.SendAsync(HttpMethod.Get, "/users/get?username=" + Uri.EscapeDataString(name), null, token).ConfigureAwait(false));
        var password = Simple("update-password", "Change a user's password (yours, or anyone's as an admin); the new one is read from standard input.", username(), async (client, name, _, token) =>
            await client.SendAsync(HttpMethod.Patch, "/users/update-password", new JsonObject { ["username"] = name, ["password"] = ReadPassword() }, token).ConfigureAwait(false));
        var delete = Simple("delete", "Delete a user and their permission records.", username(), async (client, name, _, token) =>
            await client.SendAsync(HttpMethod.Delete, "/users/delete", new JsonObject { ["username"] = name }, token).ConfigureAwait(false));

        var adminName = username();
        var admin = new Option<bool>("--admin") { Description = "true to make the user an admin, false to take it away.", Required = true };
        var updateAdmin = new Command("update-admin", "Make a user an admin, or not.") { adminName, admin };
        updateAdmin.SetAction(async (parse, token) =>
        {
            using var client = AuthApiClient.Create(parse);
            Print(parse, await client.SendAsync(HttpMethod.Patch, "/users/update-admin", new JsonObject { ["username"] = parse.GetValue(adminName), ["is_admin"] = parse.GetValue(admin) }, token).ConfigureAwait(false));
            return CliApp.Ok;
        });

        group.Subcommands.Add(create);
        group.Subcommands.Add(get);
        group.Subcommands.Add(password);
        group.Subcommands.Add(updateAdmin);
        group.Subcommands.Add(delete);
        group.Subcommands.Add(Permission("grant", "Give a user a permission on an experiment or a registered model (replacing the one they had).", grant: true));
        group.Subcommands.Add(Permission("revoke", "Remove a user's permission record on an experiment or a registered model (the default permission applies again).", grant: false));
        return group;
    }

    private static Command Simple(string name, string description, Option<string> username, Func<AuthApiClient, string, ParseResult, CancellationToken, Task<JsonNode?>> call)
    {
        var command = new Command(name, description) { username };
        command.SetAction(async (parse, token) =>
        {
            using var client = AuthApiClient.Create(parse);
            Print(parse, await call(client, parse.GetValue(username)!, parse, token).ConfigureAwait(false));
            return CliApp.Ok;
        });
        return command;
    }

    private static Command Permission(string name, string description, bool grant)
    {
        var username = new Option<string>("--username", "-u") { Description = "The user's name.", Required = true };
        var experiment = new Option<string?>("--experiment-id", "-x") { Description = "The experiment." };
        var model = new Option<string?>("--model", "-m") { Description = "The registered model's name." };
        var permission = new Option<string>("--permission", "-p") { Description = "READ, EDIT, MANAGE or NO_PERMISSIONS.", Required = grant };
        var command = new Command(name, description) { username, experiment, model };
        if (grant)
        {
            command.Options.Add(permission);
        }

        command.Validators.Add(result =>
        {
            if ((result.GetValue(experiment) is null) == (result.GetValue(model) is null))
            {
                result.AddError("Give either --experiment-id or --model.");
            }
        });
        command.SetAction(async (parse, token) =>
        {
            using var client = AuthApiClient.Create(parse);
            var (path, key, value) = parse.GetValue(experiment) is { } id
                ? ("/experiments/permissions", "experiment_id", id)
                : ("/registered-models/permissions", "name", parse.GetValue(model)!);
            var body = new JsonObject { [key] = value, ["username"] = parse.GetValue(username) };
            if (!grant)
            {
                Print(parse, await client.SendAsync(HttpMethod.Delete, path + "/delete", body, token).ConfigureAwait(false));
                return CliApp.Ok;
            }

            body["permission"] = parse.GetValue(permission);
            try
            {
                Print(parse, await client.SendAsync(HttpMethod.Post, path + "/create", body, token).ConfigureAwait(false));
            }
            catch (MlflowException e) when (e.ErrorCode == ErrorCode.ResourceAlreadyExists)
            {
                Print(parse, await client.SendAsync(HttpMethod.Patch, path + "/update", body, token).ConfigureAwait(false));
            }

            return CliApp.Ok;
        });
        return command;
    }

    private static string ReadPassword()
    {
        var line = Console.In.ReadLine();
        return string.IsNullOrEmpty(line)
            ? throw new UsageException("Give the password on standard input (one line), for example: printf '%s\\n' \"$PASSWORD\" | mlw users create -u alice")
            : line;
    }

    private static void Print(ParseResult parse, JsonNode? answer)
    {
        if (parse.GetValue(GlobalOptions.Output) == OutputFormat.Json || answer is JsonObject { Count: > 0 })
        {
            ConsoleOutput.Json(answer);
        }
        else
        {
            Console.Out.WriteLine("Done.");
        }
    }

    /// <summary>
    /// The server's auth endpoints through the tracking client's own transport: its credentials, TLS settings, retries of
    /// reads, errors and redaction (MLflow's environment variables).
    /// </summary>
    private sealed class AuthApiClient(RestTransport transport) : IDisposable
    {
        public static AuthApiClient Create(ParseResult parse)
        {
            var uri = TrackingUri.Resolve(parse.GetValue(GlobalOptions.TrackingUri));
            if (!TrackingUri.IsRemote(uri))
            {
                throw new UsageException("mlw users manages the users of a tracking server: give --tracking-uri http(s)://host:port (or MLFLOW_TRACKING_URI).");
            }

            return new AuthApiClient(new RestTransport(new Uri(uri), RestStoreOptions.FromEnvironment(), httpClient: null));
        }

        public async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
        {
            var url = transport.Url(Api + "/" + path.TrimStart('/'));
            HttpRequestMessage Request()
            {
                var request = new HttpRequestMessage(method, url);
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json"); // MLflow's auth app wants exactly this
                }

                return request;
            }

            // Reads are retried as the tracking client retries them; a change is sent once.
            using var response = await transport.SendAsync(path.Split('?')[0].TrimStart('/'), Request, HttpCompletionOption.ResponseContentRead, retry: method == HttpMethod.Get, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }

        public void Dispose() => transport.Dispose();
    }
}
