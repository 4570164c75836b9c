namespace MlWorkflow.Tracking.Registry;

/// <summary>The registration status of a model version (MLflow's <c>ModelVersionStatus</c>); file and OSS stores answer <see cref="Ready"/> at once.</summary>
public enum ModelVersionStatus
{
    /// <summary><c>PENDING_REGISTRATION</c>: the registry is still copying or checking the artifacts.</summary>
    PendingRegistration = 1,

    /// <summary><c>FAILED_REGISTRATION</c>: registration failed; see the status message.</summary>
    FailedRegistration = 2,

    /// <summary><c>READY</c>: the version can be used.</summary>
    Ready = 3,
}
