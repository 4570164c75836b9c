using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlWorkflow.Serving.Hosting;

namespace MlWorkflow.Serving;

/// <summary>Mounts MLflow's scoring protocol in an ASP.NET Core application.</summary>
public static class MlflowScoringEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps MLflow 2.x's scoring endpoints for the model registered with
    /// <see cref="MlflowModelServiceCollectionExtensions.AddMlflowModel"/>: <c>GET /ping</c> and <c>GET /health</c>
    /// (200 once the model is loaded), <c>GET /version</c> (which model version answers, as JSON) and
    /// <c>POST /invocations</c> (<c>application/json</c> in the <c>dataframe_split</c>, <c>dataframe_records</c>,
    /// <c>instances</c> or <c>inputs</c> form, or <c>text/csv</c>; answers <c>{"predictions": …}</c>).
    /// </summary>
    /// <param name="endpoints">The application's route builder.</param>
    /// <param name="prefix">A path the endpoints are mounted under, such as <c>/models/price</c>. The default value is empty (the root, as MLflow serves them).</param>
    /// <returns>The group of endpoints, to add authorization or other conventions.</returns>
    /// <exception cref="InvalidOperationException">No model was registered with <see cref="MlflowModelServiceCollectionExtensions.AddMlflowModel"/>.</exception>
    public static RouteGroupBuilder MapMlflowScoring(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (endpoints.ServiceProvider.GetService(typeof(ServedModelHolder)) is null)
        {
            throw new InvalidOperationException("No model to serve: call services.AddMlflowModel(o => o.ModelUri = \"models:/Name/Production\") before MapMlflowScoring().");
        }

        var state = new ScoringEndpointState(endpoints.ServiceProvider);
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/ping", (RequestDelegate)(context => ScoringEndpoints.PingAsync(context, state)));
        group.MapGet("/health", (RequestDelegate)(context => ScoringEndpoints.PingAsync(context, state)));
        group.MapGet("/version", (RequestDelegate)(context => ScoringEndpoints.VersionAsync(context, state)));
        group.MapPost("/invocations", (RequestDelegate)(context => ScoringEndpoints.InvocationsAsync(context, state)));
        return group;
    }
}
