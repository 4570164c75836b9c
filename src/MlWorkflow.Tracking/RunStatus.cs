namespace MlWorkflow.Tracking;

/// <summary>The status of a run, with MLflow's numeric values.</summary>
public enum RunStatus
{
    /// <summary>The run is in progress.</summary>
    Running = 1,

    /// <summary>The run is scheduled to start.</summary>
    Scheduled = 2,

    /// <summary>The run finished successfully.</summary>
    Finished = 3,

    /// <summary>The run failed.</summary>
    Failed = 4,

    /// <summary>The run was killed.</summary>
    Killed = 5,
}
