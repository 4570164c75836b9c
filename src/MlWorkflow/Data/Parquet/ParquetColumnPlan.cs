using MlWorkflow.Data.Columnar;
using Parquet.Schema;

namespace MlWorkflow.Data.Parquet;

/// <summary>How one ML.NET column is read from a Parquet file: the leaf field and whether it is a list (a vector column).</summary>
internal sealed record ParquetColumnPlan(ColumnSpec Spec, DataField Field, bool IsList);
