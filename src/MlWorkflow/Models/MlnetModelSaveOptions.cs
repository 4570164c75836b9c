namespace MlWorkflow.Models;

/// <summary>What to record with a saved ML.NET model besides the model itself.</summary>
public sealed class MlnetModelSaveOptions
{
    /// <summary>The run the model is logged to, or null. The default is null.</summary>
    public string? RunId { get; init; }

    /// <summary>The run-relative artifact path (for example <c>model</c>), or null. The default is null.</summary>
    public string? ArtifactPath { get; init; }

    /// <summary>
    /// The columns a caller must supply to predict (the signature's inputs); null means every column of the
    /// input schema. The default is null.
    /// </summary>
    public IReadOnlyList<string>? InputColumns { get; init; }

    /// <summary>Rows of input to save as <c>input_example.json</c>, or null for no example. The default is null.</summary>
    public Microsoft.ML.IDataView? InputExample { get; init; }

    /// <summary>How many rows of <see cref="InputExample"/> to save, more than 0. The default value is 5.</summary>
    public int InputExampleRows { get; init; } = 5;

    /// <summary>The clock for <c>utc_time_created</c>. The default is the system clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
