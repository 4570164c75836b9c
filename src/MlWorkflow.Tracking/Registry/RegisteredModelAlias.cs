namespace MlWorkflow.Tracking.Registry;

/// <summary>A named pointer from a registered model to one of its versions (MLflow's <c>RegisteredModelAlias</c>), such as <c>champion</c> → 3.</summary>
/// <param name="Alias">The alias: letters, digits, <c>_</c> and <c>-</c>, at most 255 characters; not <c>latest</c> nor <c>v&lt;digits&gt;</c>.</param>
/// <param name="Version">The version number it points to.</param>
public sealed record RegisteredModelAlias(string Alias, int Version);
