using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlWorkflow.Serving.Diagnostics;

namespace MlWorkflow.Serving.Hosting;

/// <summary>What the scoring endpoints need, resolved once when they are mapped rather than on every request.</summary>
internal sealed class ScoringEndpointState(IServiceProvider services)
{
    public ILogger Logger { get; } = services.GetRequiredService<ILoggerFactory>().CreateLogger(ServingDiagnostics.LogCategory);

    public MlflowModelOptions Options { get; } = services.GetRequiredService<IOptions<MlflowModelOptions>>().Value;

    public ServedModelHolder Holder { get; } = services.GetRequiredService<ServedModelHolder>();
}
