namespace MlWorkflow.Tracking;

/// <summary>The inputs of a run.</summary>
/// <param name="DatasetInputs">The datasets the run used.</param>
public sealed record RunInputs(IReadOnlyList<DatasetInput> DatasetInputs)
{
    /// <summary>Inputs with no datasets.</summary>
    public static RunInputs Empty { get; } = new(Array.Empty<DatasetInput>());
}
