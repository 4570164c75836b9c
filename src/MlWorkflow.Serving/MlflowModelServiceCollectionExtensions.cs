using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlWorkflow.Serving.Hosting;

namespace MlWorkflow.Serving;

/// <summary>Registers the model that <see cref="MlflowScoringEndpointRouteBuilderExtensions.MapMlflowScoring"/> serves.</summary>
public static class MlflowModelServiceCollectionExtensions
{
    /// <summary>
    /// Registers an ML.NET model (MLflow format, flavor <c>mlnet</c>) to serve; it is loaded when the host starts, and a
    /// model that cannot be loaded stops the start. Until it is loaded <c>/ping</c> answers 404.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the model URI, the tracking store and the request body limit.</param>
    /// <returns>The same services, to chain calls.</returns>
    public static IServiceCollection AddMlflowModel(this IServiceCollection services, Action<MlflowModelOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        services.TryAddSingleton<ServedModelHolder>();
        services.AddHostedService<ModelLoader>();
        return services;
    }
}
