using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MlWorkflow.Server.Endpoints;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server;

/// <summary>
/// Maps MLflow's server APIs into any ASP.NET Core application, next to its own endpoints and behind its own middleware
/// (authentication, host filtering, logging). Register the services first with
/// <see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/>. Each API is mapped under <c>/api/2.0/…</c> and
/// <c>/ajax-api/2.0/…</c> relative to the builder: map onto <c>app.MapGroup("/mlflow")</c> to serve a tracking URI such as
/// <c>http://host/mlflow</c>. Each method returns a convention builder, so that <c>.RequireAuthorization()</c> and the like apply.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddMlflowTrackingServer(o => o.BackendStoreUri = "./mlruns");
/// var app = builder.Build();
/// app.MapGroup("/mlflow").MapMlflow().RequireAuthorization();
/// </code>
/// </example>
public static class MlflowEndpointRouteBuilderExtensions
{
    /// <summary>Maps the tracking API, the model registry API and the <c>mlflow-artifacts</c> API.</summary>
    /// <param name="endpoints">The route builder (the application, or a route group).</param>
    /// <returns>The group holding the endpoints, to add conventions to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/> was not called, or <see cref="MlflowServerOptions.Auth"/> is set (only <see cref="TrackingServer"/> enforces it).</exception>
    public static RouteGroupBuilder MapMlflow(this IEndpointRouteBuilder endpoints)
    {
        var (group, routes) = Group(endpoints);
        MapTracking(routes);
        MapRegistry(routes);
        MapArtifacts(routes);
        return group;
    }

    /// <summary>Maps MLflow's REST API 2.0 tracking endpoints (experiments, runs, metrics, artifact listing) and the run artifact download of MLflow's UI (<c>/get-artifact</c>).</summary>
    /// <param name="endpoints">The route builder (the application, or a route group).</param>
    /// <returns>The group holding the endpoints, to add conventions to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/> was not called, or <see cref="MlflowServerOptions.Auth"/> is set (only <see cref="TrackingServer"/> enforces it).</exception>
    public static RouteGroupBuilder MapMlflowTracking(this IEndpointRouteBuilder endpoints)
    {
        var (group, routes) = Group(endpoints);
        MapTracking(routes);
        return group;
    }

    /// <summary>Maps MLflow's model registry endpoints (<c>registered-models/…</c>, <c>model-versions/…</c>, and <c>/model-versions/get-artifact</c>); they answer 501 when the server has no registry.</summary>
    /// <param name="endpoints">The route builder (the application, or a route group).</param>
    /// <returns>The group holding the endpoints, to add conventions to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/> was not called, or <see cref="MlflowServerOptions.Auth"/> is set (only <see cref="TrackingServer"/> enforces it).</exception>
    public static RouteGroupBuilder MapMlflowRegistry(this IEndpointRouteBuilder endpoints)
    {
        var (group, routes) = Group(endpoints);
        MapRegistry(routes);
        return group;
    }

    /// <summary>Maps the <c>mlflow-artifacts</c> proxy API (upload, download, list, delete, and multipart uploads to an S3 destination); it answers 503 unless artifacts are served over a file store.</summary>
    /// <param name="endpoints">The route builder (the application, or a route group).</param>
    /// <returns>The group holding the endpoints, to add conventions to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/> was not called, or <see cref="MlflowServerOptions.Auth"/> is set (only <see cref="TrackingServer"/> enforces it).</exception>
    public static RouteGroupBuilder MapMlflowArtifacts(this IEndpointRouteBuilder endpoints)
    {
        var (group, routes) = Group(endpoints);
        MapArtifacts(routes);
        return group;
    }

    /// <summary>
    /// Maps the web UI: experiments, runs with search and charts, a run's artifacts and models, compare, and the model registry
    /// with stage transitions and aliases, at <c>/</c> of the builder (<c>app.MapGroup("/mlflow").MapMlflowUi()</c> serves it at
    /// <c>/mlflow/</c>). It reads and writes the same stores as the API, needs nothing from outside the package, and protects
    /// its forms against cross-site requests; give it the same authorization as the API (<c>.RequireAuthorization()</c>).
    /// </summary>
    /// <param name="endpoints">The route builder (the application, or a route group).</param>
    /// <returns>The group holding the UI's endpoints, to add conventions to.</returns>
    /// <exception cref="InvalidOperationException"><see cref="MlflowServiceCollectionExtensions.AddMlflowTrackingServer"/> was not called, or <see cref="MlflowServerOptions.Auth"/> is set (only <see cref="TrackingServer"/> enforces it).</exception>
    public static RouteGroupBuilder MapMlflowUi(this IEndpointRouteBuilder endpoints)
    {
        var (group, routes) = Group(endpoints);
        Ui.UiEndpoints.Map(group, routes.Server);
        return group;
    }

    private static void MapTracking(EndpointRoutes routes)
    {
        TrackingEndpoints.Map(routes, routes.Server, "/api/2.0/mlflow");
        TrackingEndpoints.Map(routes, routes.Server, "/ajax-api/2.0/mlflow");
        ArtifactDownloadEndpoints.MapRunArtifact(routes, routes.Server, "/get-artifact");
    }

    private static void MapRegistry(EndpointRoutes routes)
    {
        RegistryEndpoints.Map(routes, routes.Server, "/api/2.0/mlflow");
        RegistryEndpoints.Map(routes, routes.Server, "/ajax-api/2.0/mlflow");
        ArtifactDownloadEndpoints.MapModelVersionArtifact(routes, routes.Server, "/model-versions/get-artifact");
    }

    private static void MapArtifacts(EndpointRoutes routes)
    {
        ArtifactEndpoints.Map(routes, routes.Server, "/api/2.0/mlflow-artifacts");
        ArtifactEndpoints.Map(routes, routes.Server, "/ajax-api/2.0/mlflow-artifacts");
        MultipartEndpoints.Map(routes, routes.Server, "/api/2.0/mlflow-artifacts");
        MultipartEndpoints.Map(routes, routes.Server, "/ajax-api/2.0/mlflow-artifacts");
    }

    private static (RouteGroupBuilder Group, EndpointRoutes Routes) Group(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var server = endpoints.ServiceProvider.GetService<ServerContext>()
            ?? throw new InvalidOperationException("The MLflow endpoints need their services: call services.AddMlflowTrackingServer(...) when building the application.");
        if (server.Options.Auth is not null && !server.AuthApplied)
        {
            // Mapped as they are, the endpoints would answer without asking for credentials: refused rather than left open.
            throw new InvalidOperationException(
                "MlflowServerOptions.Auth is set, but only TrackingServer (mlw server --auth) enforces it: endpoints mapped into your application would answer anyone. "
                + "Leave Auth unset and put your application's authentication in front of them (.RequireAuthorization()), or run TrackingServer.");
        }

        var group = endpoints.MapGroup(string.Empty);
        return (group, new EndpointRoutes(group, server));
    }
}
