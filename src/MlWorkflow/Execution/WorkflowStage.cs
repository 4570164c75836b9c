using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Execution;

/// <summary>
/// One timed stage of a run: an activity under <see cref="WorkflowDiagnostics.ActivitySourceName"/> and a log line. A stage
/// disposed without <see cref="Complete"/> (an exception or a cancellation left it) ends with the activity status Error.
/// </summary>
internal sealed class WorkflowStage : IDisposable
{
    private readonly Activity? _activity;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly long _started;
    private readonly string _name;
    private bool _completed;

    private WorkflowStage(string name, ILogger logger, TimeProvider clock)
    {
        _name = name;
        _logger = logger;
        _clock = clock;
        _activity = WorkflowDiagnostics.Source.StartActivity(name);
        _started = clock.GetTimestamp();
    }

    public static WorkflowStage Start(string name, ILogger logger, TimeProvider clock) => new(name, logger, clock);

    public void Complete()
    {
        _completed = true;
        var milliseconds = _clock.GetElapsedTime(_started).TotalMilliseconds;
        WorkflowLog.StageDone(_logger, _name, milliseconds);
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _activity?.SetStatus(ActivityStatusCode.Error, "the stage did not complete");
        }

        _activity?.Dispose();
    }
}
