using MlWorkflow.Tracking.Serialization;

namespace MlWorkflow.Models;

/// <summary>
/// Writes JSON as Python's <c>json.dumps</c> does by default, which is how MLflow writes signatures and the log-model history:
/// one writer for the whole library, <see cref="PythonJson"/> (see there for the exact rules).
/// </summary>
internal static class PythonStyleJson
{
    public static string Write(object? value) => PythonJson.Serialize(value);
}
