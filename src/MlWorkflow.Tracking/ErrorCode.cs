namespace MlWorkflow.Tracking;

/// <summary>MLflow's error codes (<c>databricks.ErrorCode</c>), with their protocol numbers.</summary>
/// <remarks>The REST wire form is the member name in upper snake case (<c>RESOURCE_DOES_NOT_EXIST</c>); see <see cref="ErrorCodes"/>.</remarks>
public enum ErrorCode
{
    /// <summary>An internal error, and any error raised without a code (HTTP 500).</summary>
    InternalError = 1,

    /// <summary>The service is temporarily unavailable (HTTP 503).</summary>
    TemporarilyUnavailable = 2,

    /// <summary>An I/O error.</summary>
    IoError = 3,

    /// <summary>A bad request (HTTP 400).</summary>
    BadRequest = 4,

    /// <summary>The deadline was exceeded (HTTP 504).</summary>
    DeadlineExceeded = 7,

    /// <summary>The call was cancelled (HTTP 499).</summary>
    Cancelled = 8,

    /// <summary>A resource was exhausted (HTTP 429).</summary>
    ResourceExhausted = 9,

    /// <summary>The call was aborted (HTTP 409).</summary>
    Aborted = 10,

    /// <summary>Not found (HTTP 404).</summary>
    NotFound = 11,

    /// <summary>Already exists (HTTP 409).</summary>
    AlreadyExists = 12,

    /// <summary>Not authenticated (HTTP 401).</summary>
    Unauthenticated = 13,

    /// <summary>A parameter had an invalid value (HTTP 400).</summary>
    InvalidParameterValue = 1000,

    /// <summary>The endpoint does not exist (HTTP 404).</summary>
    EndpointNotFound = 1001,

    /// <summary>The request was malformed.</summary>
    MalformedRequest = 1002,

    /// <summary>The stored state is inconsistent with the request (HTTP 500).</summary>
    InvalidState = 1003,

    /// <summary>Permission denied (HTTP 403).</summary>
    PermissionDenied = 1004,

    /// <summary>The feature is disabled.</summary>
    FeatureDisabled = 1005,

    /// <summary>The customer is not authorized (HTTP 401).</summary>
    CustomerUnauthorized = 1006,

    /// <summary>The request limit was exceeded (HTTP 429).</summary>
    RequestLimitExceeded = 1007,

    /// <summary>A conflicting change (HTTP 409).</summary>
    ResourceConflict = 1008,

    /// <summary>An HTTP error whose body could not be parsed.</summary>
    UnparseableHttpError = 1009,

    /// <summary>Not implemented (HTTP 501).</summary>
    NotImplemented = 1010,

    /// <summary>Data was lost (HTTP 500).</summary>
    DataLoss = 1011,

    /// <summary>The resource already exists (HTTP 400, MLflow's legacy mapping).</summary>
    ResourceAlreadyExists = 3001,

    /// <summary>The resource does not exist (HTTP 404).</summary>
    ResourceDoesNotExist = 3002,
}
