namespace MlWorkflow.Testing.Fixtures;

/// <summary>
/// Sets environment variables (such as <c>MLFLOW_TRACKING_URI</c>) for code under test that reads them, and restores
/// their previous values on dispose. The environment is the process's: not safe with tests running in parallel in one
/// process; prefer handing the fixture's client or tracking URI to the code under test explicitly.
/// </summary>
/// <example>
/// <code>
/// using var environment = EnvironmentScope.TrackingUri(store.TrackingUri);
/// </code>
/// </example>
public sealed class EnvironmentScope : IDisposable
{
    /// <summary>The variable MLflow clients read the tracking URI from.</summary>
    public const string TrackingUriVariable = "MLFLOW_TRACKING_URI";

    private readonly Dictionary<string, string?> _previous = new(StringComparer.Ordinal);
    private bool _disposed;

    private EnvironmentScope(IReadOnlyDictionary<string, string?> variables)
    {
        foreach (var (name, value) in variables)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Sets the variables (a null value removes one) until the scope is disposed.</summary>
    /// <param name="variables">The names and values.</param>
    /// <returns>The scope; dispose it to restore the previous values.</returns>
    public static EnvironmentScope Set(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return new EnvironmentScope(variables);
    }

    /// <summary>Sets <c>MLFLOW_TRACKING_URI</c> until the scope is disposed.</summary>
    /// <param name="trackingUri">The tracking URI, such as a fixture's <see cref="TemporaryTrackingStore.TrackingUri"/>.</param>
    /// <returns>The scope; dispose it to restore the previous value.</returns>
    public static EnvironmentScope TrackingUri(string trackingUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(trackingUri);
        return new EnvironmentScope(new Dictionary<string, string?> { [TrackingUriVariable] = trackingUri });
    }

    /// <summary>Restores each variable's value from before the scope (removing those that were not set).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
