using static MlWorkflow.Server.Auth.AccessRule;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// The rule of every endpoint the server maps, by method and route (the <c>/ajax-api/</c> forms share the <c>/api/</c> forms'
/// rules): MLflow's auth app's table (mlflow-protocol-2 §5.6), stricter where MLflow leaves a read unchecked (runs/search,
/// metric history in bulk, artifact downloads need read on the experiments concerned). An endpoint without a rule is refused
/// to non-admins; a test fails for any.
/// </summary>
internal static class AccessRules
{
    private const string Api = "/api/2.0/mlflow";
    private const string Artifacts = "/api/2.0/mlflow-artifacts";

    private static readonly Dictionary<(string Method, string Route), AccessRule> Table = Build();

    /// <summary>The rule of an endpoint, or null when it has none.</summary>
    public static AccessRule? For(MlflowRoute route)
    {
        var path = route.Route.StartsWith("/ajax-api/", StringComparison.Ordinal) ? "/api/" + route.Route["/ajax-api/".Length..] : route.Route;
        return Table.GetValueOrDefault((route.Method.ToUpperInvariant(), path));
    }

    private static Dictionary<(string, string), AccessRule> Build()
    {
        const Capability read = Capability.Read, update = Capability.Update, delete = Capability.Delete, manage = Capability.Manage;
        var t = new Dictionary<(string, string), AccessRule>();
        void Add(string method, string route, AccessRule rule) => t.Add((method, route), rule);

        // Host and UI assets.
        Add("GET", "/health", Open);
        Add("GET", "/version", AnyUser);
        Add("GET", "/static/app.js", Open);
        Add("GET", "/static/app.css", Open);

        // Experiments.
        Add("POST", Api + "/experiments/create", AnyUser);
        Add("GET", Api + "/experiments/get", Experiment(read));
        Add("GET", Api + "/experiments/get-by-name", ExperimentByName(read));
        Add("POST", Api + "/experiments/search", AnyUser); // filtered by the endpoint
        Add("GET", Api + "/experiments/search", AnyUser);
        Add("POST", Api + "/experiments/update", Experiment(update));
        Add("POST", Api + "/experiments/set-experiment-tag", Experiment(update));
        Add("POST", Api + "/experiments/delete", Experiment(delete));
        Add("POST", Api + "/experiments/restore", Experiment(delete));

        // Runs.
        Add("POST", Api + "/runs/create", Experiment(update));
        Add("GET", Api + "/runs/get", Run(read, "run_id", "run_uuid"));
        foreach (var write in new[] { "update", "log-metric", "log-parameter", "set-tag", "delete-tag", "log-batch", "log-inputs", "log-model" })
        {
            Add("POST", Api + "/runs/" + write, Run(update, "run_id", "run_uuid"));
        }

        Add("POST", Api + "/runs/delete", Run(delete, "run_id"));
        Add("POST", Api + "/runs/restore", Run(delete, "run_id"));
        Add("POST", Api + "/runs/search", Experiments(read, "experiment_ids"));
        Add("GET", Api + "/metrics/get-history", Run(read, "run_id", "run_uuid"));
        Add("GET", Api + "/metrics/get-history-bulk-interval", Runs(read, "run_ids"));
        Add("GET", Api + "/artifacts/list", Run(read, "run_id", "run_uuid"));
        Add("GET", "/get-artifact", Run(read, "run_id", "run_uuid"));

        // Registered models and versions (the model is the 'name' parameter).
        var models = Api + "/registered-models";
        Add("POST", models + "/create", AnyUser);
        Add("GET", models + "/get", Model(read));
        Add("POST", models + "/rename", Model(update));
        Add("PATCH", models + "/update", Model(update));
        Add("DELETE", models + "/delete", Model(delete));
        Add("GET", models + "/search", AnyUser); // filtered by the endpoint
        Add("POST", models + "/set-tag", Model(update));
        Add("DELETE", models + "/delete-tag", Model(update));
        Add("POST", models + "/alias", Model(update));
        Add("DELETE", models + "/alias", Model(delete));
        Add("GET", models + "/alias", Model(read));
        Add("POST", models + "/get-latest-versions", Model(read));
        Add("GET", models + "/get-latest-versions", Model(read));
        var versions = Api + "/model-versions";
        Add("POST", versions + "/create", Model(update));
        Add("GET", versions + "/get", Model(read));
        Add("PATCH", versions + "/update", Model(update));
        Add("DELETE", versions + "/delete", Model(delete));
        Add("GET", versions + "/search", AnyUser); // filtered by the endpoint
        Add("POST", versions + "/transition-stage", Model(update));
        Add("POST", versions + "/set-tag", Model(update));
        Add("DELETE", versions + "/delete-tag", Model(delete));
        Add("GET", versions + "/get-download-uri", Model(read));
        Add("GET", "/model-versions/get-artifact", Model(read));

        // The mlflow-artifacts proxy: GET read, PUT update, DELETE manage (as MLflow's auth app).
        Add("GET", Artifacts + "/artifacts/{**path}", ArtifactPath(read));
        Add("GET", Artifacts + "/artifacts", ArtifactPath(read));
        Add("PUT", Artifacts + "/artifacts/{**path}", ArtifactPath(update));
        Add("DELETE", Artifacts + "/artifacts/{**path}", ArtifactPath(manage));

        // Multipart uploads write the artifact a PUT would: MLflow leaves them unchecked, here they need what the PUT needs.
        foreach (var step in new[] { "create", "complete", "abort" })
        {
            Add("POST", Artifacts + "/mpu/" + step + "/{**path}", ArtifactPath(update));
        }

        // Users and permissions (MLflow's auth app's own endpoints).
        Add("POST", Api + "/users/create", Admin);
        Add("GET", Api + "/users/get", Self("username"));
        Add("PATCH", Api + "/users/update-password", Self("username"));
        Add("PATCH", Api + "/users/update-admin", Admin);
        Add("DELETE", Api + "/users/delete", Admin);
        foreach (var (method, verb) in new[] { ("POST", "create"), ("GET", "get"), ("PATCH", "update"), ("DELETE", "delete") })
        {
            Add(method, Api + "/experiments/permissions/" + verb, Experiment(manage));
            Add(method, models + "/permissions/" + verb, Model(manage));
        }

        // The web UI: lists are filtered by the pages; everything else needs the permission its API call would.
        Add("GET", "/", AnyUser);
        Add("GET", "/experiments/{id}", Experiment(read, "id"));
        Add("GET", "/runs/{id}", Run(read, "id"));
        Add("GET", "/compare", Runs(read, "run"));
        Add("GET", "/models", AnyUser);
        Add("GET", "/model", Model(read));
        Add("GET", "/ui-api/chart", Runs(read, "runs", commaSeparated: true));
        Add("GET", "/ui-api/artifact", Run(read, "run"));
        Add("POST", "/actions/{action}", ByValue("action", new Dictionary<string, AccessRule>(StringComparer.Ordinal)
        {
            ["experiment-create"] = AnyUser,
            ["experiment-rename"] = Experiment(update, "id"),
            ["experiment-delete"] = Experiment(delete, "id"),
            ["experiment-restore"] = Experiment(delete, "id"),
            ["runs"] = ByValue("op", new Dictionary<string, AccessRule>(StringComparer.Ordinal)
            {
                ["compare"] = Runs(read, "run"),
                ["delete"] = Runs(delete, "run"),
                ["restore"] = Runs(delete, "run"),
            }),
            ["model-transition"] = Model(update),
            ["alias-set"] = Model(update),
            ["alias-delete"] = Model(delete),
        }));
        return t;
    }
}
