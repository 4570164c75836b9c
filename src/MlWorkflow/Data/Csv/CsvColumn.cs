using Microsoft.ML.Data;

namespace MlWorkflow.Data.Csv;

/// <summary>A CSV column: its name, position, ML.NET kind, and whether the kind was inferred (and may be widened) or given.</summary>
internal sealed record CsvColumn(string Name, int Index, DataKind Kind, bool Inferred);
