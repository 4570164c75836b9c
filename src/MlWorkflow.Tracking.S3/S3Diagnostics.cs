using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MlWorkflow.Tracking.S3;

/// <summary>
/// The package's telemetry, named <c>MlWorkflow.Tracking.S3</c>: activities <c>s3.upload</c>, <c>s3.download</c> and
/// <c>s3.list</c>, and the counters <c>mlworkflow.s3.bytes_uploaded</c> and <c>mlworkflow.s3.bytes_downloaded</c>.
/// </summary>
internal static class S3Diagnostics
{
    public const string Name = "MlWorkflow.Tracking.S3";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> BytesUploaded = Meter.CreateCounter<long>("mlworkflow.s3.bytes_uploaded", "By", "Bytes uploaded to S3 artifacts.");

    public static readonly Counter<long> BytesDownloaded = Meter.CreateCounter<long>("mlworkflow.s3.bytes_downloaded", "By", "Bytes downloaded from S3 artifacts.");
}
