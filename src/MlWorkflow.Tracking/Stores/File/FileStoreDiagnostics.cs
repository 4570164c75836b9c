using System.Diagnostics.Metrics;
using MlWorkflow.Tracking.Diagnostics;

namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// What the file store reports about damage it works around, on MlWorkflow's meter (<see cref="MlflowDiagnostics.MeterName"/>):
/// <c>mlworkflow.tracking.file.skipped_lines</c> (metric lines read and skipped because they are not MLflow's format) and
/// <c>mlworkflow.tracking.file.torn_lines_cut</c> (torn last lines cut off before an append).
/// </summary>
internal static class FileStoreDiagnostics
{
    /// <summary>Metric lines skipped while reading because they are not exactly MLflow's format.</summary>
    public static Counter<long> SkippedLines { get; } = MlflowDiagnostics.Meter.CreateCounter<long>("mlworkflow.tracking.file.skipped_lines", "{line}", "Metric file lines skipped while reading because they are not MLflow's format (damage).");

    /// <summary>Torn last lines (never acknowledged) cut off before an append.</summary>
    public static Counter<long> TornLinesCut { get; } = MlflowDiagnostics.Meter.CreateCounter<long>("mlworkflow.tracking.file.torn_lines_cut", "{line}", "Torn last lines of metric files cut off before an append.");
}
