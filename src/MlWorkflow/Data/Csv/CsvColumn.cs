using Microsoft.ML.Data;

namespace MlWorkflow.Data.Csv;

/// <summary>A CSV column: its name, position and ML.NET kind.</summary>
internal sealed record CsvColumn(string Name, int Index, DataKind Kind);
