namespace MlWorkflow.Tracking.Protocol;

// The JSON shapes of MLflow's protobuf messages (https://mlflow.org/docs/latest/rest-api.html#data-structures).
// Property names become snake_case through RestJsonContext; null members are omitted on the wire.

/// <summary>A <c>FileInfo</c> message (<c>file_size</c> omitted for folders).</summary>
public sealed class FileInfoMessage
{
    /// <summary>The <c>path</c> field.</summary>
    public string? Path { get; set; }

    /// <summary>The <c>is_dir</c> field.</summary>
    public bool? IsDir { get; set; }

    /// <summary>The <c>file_size</c> field.</summary>
    public long? FileSize { get; set; }
}
