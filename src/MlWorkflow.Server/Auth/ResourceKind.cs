namespace MlWorkflow.Server.Auth;

/// <summary>What a permission record is about, with its table and column.</summary>
internal sealed class ResourceKind
{
    public static readonly ResourceKind Experiment = new("experiment_permissions", "experiment_id", "Experiment permission", "experiment_id");

    public static readonly ResourceKind RegisteredModel = new("registered_model_permissions", "name", "Registered model permission", "name");

    private ResourceKind(string table, string column, string label, string parameter)
    {
        Table = table;
        Column = column;
        Label = label;
        Parameter = parameter;
    }

    public string Table { get; }

    public string Column { get; }

    /// <summary>How MLflow's messages name a record: <c>Experiment permission</c>.</summary>
    public string Label { get; }

    /// <summary>The request parameter naming the resource.</summary>
    public string Parameter { get; }
}
