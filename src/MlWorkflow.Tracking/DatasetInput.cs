namespace MlWorkflow.Tracking;

/// <summary>A dataset used by a run, with the tags of that use.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Tags">Tags of this input, such as <c>mlflow.data.context</c>.</param>
public sealed record DatasetInput(Dataset Dataset, IReadOnlyList<InputTag> Tags)
{
    /// <summary>Creates an input with no tags.</summary>
    /// <param name="dataset">The dataset.</param>
    public DatasetInput(Dataset dataset)
        : this(dataset, Array.Empty<InputTag>())
    {
    }
}
