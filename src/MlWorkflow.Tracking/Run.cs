namespace MlWorkflow.Tracking;

/// <summary>A run: its metadata, its logged data and its inputs.</summary>
/// <param name="Info">The run's metadata.</param>
/// <param name="Data">Metrics (latest values), params and tags.</param>
/// <param name="Inputs">The datasets the run used.</param>
public sealed record Run(RunInfo Info, RunData Data, RunInputs Inputs);
