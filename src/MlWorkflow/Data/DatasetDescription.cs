using System.Text.Json;
using MlWorkflow.Tracking;

namespace MlWorkflow.Data;

/// <summary>What tracking records about a data set: its name, a digest stable for the same content, where it comes from,
/// its schema and row count, in the shape MLflow's <c>log-inputs</c> takes.</summary>
public sealed class DatasetDescription
{
    /// <summary>Creates a description.</summary>
    /// <param name="name">The dataset name (at most 500 characters).</param>
    /// <param name="digest">The content digest (at most 36 characters).</param>
    /// <param name="sourceType">MLflow's source type: <c>local</c>, <c>delta_table</c>, <c>code</c>, …</param>
    /// <param name="source">The source as JSON text, such as <c>{"uri":"/data/x.csv"}</c>.</param>
    /// <param name="schema">The schema as MLflow column-spec JSON, <c>{"mlflow_colspec":[…]}</c>.</param>
    /// <param name="rowCount">The number of rows.</param>
    public DatasetDescription(string name, string digest, string sourceType, string source, string schema, long rowCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        ArgumentException.ThrowIfNullOrEmpty(sourceType);
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (digest.Length > 36)
        {
            throw new ArgumentException("A digest has at most 36 characters.", nameof(digest));
        }

        Name = name.Length > 500 ? name[..500] : name;
        Digest = digest;
        SourceType = sourceType;
        Source = source;
        Schema = schema;
        RowCount = rowCount;
    }

    /// <summary>The dataset name: the file, folder or table name.</summary>
    public string Name { get; }

    /// <summary>A short hex digest of the content, the same whenever the content is the same.</summary>
    public string Digest { get; }

    /// <summary>MLflow's source type: <c>local</c> for files, <c>delta_table</c> for Delta tables, <c>code</c> for in-memory data.</summary>
    public string SourceType { get; }

    /// <summary>The source as JSON text: <c>{"uri": …}</c> for files, <c>{"path": …, "delta_table_version": N}</c> for Delta tables.</summary>
    public string Source { get; }

    /// <summary>The schema as MLflow column-spec JSON: <c>{"mlflow_colspec": [{"type": "double", "name": "x", "required": true}, …]}</c>.</summary>
    public string Schema { get; }

    /// <summary>The number of rows.</summary>
    public long RowCount { get; }

    /// <summary>The profile JSON MLflow shows: <c>{"num_rows": N}</c>.</summary>
    public string Profile => JsonSerializer.Serialize(new Dictionary<string, long> { ["num_rows"] = RowCount });

    /// <summary>The record MLflow's <c>log-inputs</c> takes.</summary>
    /// <returns>The dataset entity.</returns>
    public Dataset ToMlflowDataset() => new(Name, Digest, SourceType, Source, Schema, Profile);
}
