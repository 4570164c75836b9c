using MlWorkflow.Tracking;

namespace MlWorkflow.Tracking.Tests.Errors;

public class ErrorCodesTests
{
    [TestCase(ErrorCode.ResourceDoesNotExist, "RESOURCE_DOES_NOT_EXIST", 404)]
    [TestCase(ErrorCode.ResourceAlreadyExists, "RESOURCE_ALREADY_EXISTS", 400)]
    [TestCase(ErrorCode.InvalidParameterValue, "INVALID_PARAMETER_VALUE", 400)]
    [TestCase(ErrorCode.InternalError, "INTERNAL_ERROR", 500)]
    [TestCase(ErrorCode.InvalidState, "INVALID_STATE", 500)]
    [TestCase(ErrorCode.TemporarilyUnavailable, "TEMPORARILY_UNAVAILABLE", 503)]
    [TestCase(ErrorCode.RequestLimitExceeded, "REQUEST_LIMIT_EXCEEDED", 429)]
    [TestCase(ErrorCode.IoError, "IO_ERROR", 500)]
    public void Wire_name_and_status_follow_mlflow(ErrorCode code, string wireName, int status)
    {
        Assert.That(code.ToWireName(), Is.EqualTo(wireName));
        Assert.That(ErrorCodes.FromWireName(wireName), Is.EqualTo(code));
        Assert.That(code.ToHttpStatus(), Is.EqualTo(status));
    }

    [TestCase("SOMETHING_NEW")]
    [TestCase("")]
    [TestCase(null)]
    public void Unknown_wire_names_become_internal_error(string? name) =>
        Assert.That(ErrorCodes.FromWireName(name), Is.EqualTo(ErrorCode.InternalError));

    [TestCase(400, ErrorCode.BadRequest)]
    [TestCase(404, ErrorCode.EndpointNotFound)]
    [TestCase(429, ErrorCode.ResourceExhausted)]
    [TestCase(503, ErrorCode.TemporarilyUnavailable)]
    [TestCase(418, ErrorCode.InternalError)]
    public void Http_status_maps_as_the_python_client_does(int status, ErrorCode expected) =>
        Assert.That(ErrorCodes.FromHttpStatus(status), Is.EqualTo(expected));

    [Test]
    public void Exception_text_starts_with_the_wire_code()
    {
        var error = MlflowException.NotFound("Run 'abc' not found");
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
        Assert.That(error.HttpStatus, Is.EqualTo(404));
        Assert.That(error.ToString(), Does.StartWith("RESOURCE_DOES_NOT_EXIST: "));
    }
}
