namespace MlWorkflow.Data;

/// <summary>What a columnar source does with a column whose type has no ML.NET mapping (maps, nested lists, unions, …).</summary>
public enum UnsupportedColumnPolicy
{
    /// <summary>Throw a <see cref="DataSourceException"/> naming the column and its type.</summary>
    Fail,

    /// <summary>Leave the column out of the view.</summary>
    Skip,
}
