using System.Net;
using Amazon.S3;

namespace MlWorkflow.Tracking.S3;

/// <summary>Turns the AWS SDK's failures into <see cref="MlflowException"/>s that say what was wrong and what to do.</summary>
internal static class S3Errors
{
    public static MlflowException Map(Exception error, string operation, S3Location location, string relative, string? endpoint)
    {
        var where = endpoint is null ? "AWS S3" : $"the S3 endpoint {endpoint} (MLFLOW_S3_ENDPOINT_URL)";
        var what = $"s3://{location.Bucket}/{S3Location.Excerpt(location.KeyOf(relative))}";
        if (error is AmazonS3Exception s3)
        {
            return s3.ErrorCode switch
            {
                "NoSuchBucket" => new MlflowException(ErrorCode.ResourceDoesNotExist, $"The S3 bucket '{location.Bucket}' does not exist on {where}: create it, or fix the artifact location.", error),
                "NoSuchUpload" => new MlflowException(ErrorCode.ResourceDoesNotExist, $"The multipart upload of {what} does not exist on {where}: it was completed or aborted, or its id is wrong. Start a new one.", error),
                "InvalidPart" or "InvalidPartOrder" or "EntityTooSmall" => new MlflowException(ErrorCode.InvalidParameterValue, $"{where} refused to complete the multipart upload of {what} ({s3.ErrorCode}): give every uploaded part once, with the etag its upload answered; all parts but the last must be at least 5 MiB.", error),
                "NoSuchKey" or "NotFound" => new MlflowException(ErrorCode.ResourceDoesNotExist, $"Artifact '{S3Location.Excerpt(relative)}' does not exist ({what}).", error),
                "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" => new MlflowException(ErrorCode.Unauthenticated, $"{where} refused the AWS credentials ({s3.ErrorCode}) for the {operation} of {what}: check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.", error),
                "AccessDenied" => new MlflowException(ErrorCode.PermissionDenied, $"{where} denied the {operation} of {what} (AccessDenied): the credentials need s3:GetObject, s3:PutObject, s3:ListBucket and s3:DeleteObject on the bucket.", error),
                _ when s3.StatusCode == HttpStatusCode.NotFound => new MlflowException(ErrorCode.ResourceDoesNotExist, $"Artifact '{S3Location.Excerpt(relative)}' does not exist ({what}).", error),
                _ => new MlflowException(ErrorCode.InternalError, $"The S3 {operation} of {what} failed on {where}: {s3.ErrorCode} ({(int)s3.StatusCode}) {S3Location.Excerpt(s3.Message)}", error),
            };
        }

        var message = S3Location.Excerpt(error.Message);
        if (message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            return new MlflowException(ErrorCode.Unauthenticated, $"No AWS credentials for the S3 {operation} of {what}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE. ({message})", error);
        }

        return new MlflowException(ErrorCode.TemporarilyUnavailable, $"Cannot reach {where} for the {operation} of {what}: {message}", error);
    }
}
