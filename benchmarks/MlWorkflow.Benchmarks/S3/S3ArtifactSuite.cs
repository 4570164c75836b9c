using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Benchmarks.S3;

/// <summary>
/// Issue 18's figure: a 200 MB artifact logged to and downloaded from a run whose artifacts are in S3 (moto_server on 127.0.0.1,
/// started here on a free port and stopped after), beside the same work on a run of the local file store. Bounded: one upload and
/// one download of each after a 16 MB warm-up of both, twice, in the order S3, file, file, S3 (about a minute on an idle machine).
/// </summary>
internal sealed class S3ArtifactSuite : IBenchmarkSuite
{
    private const long Size = 200L * 1024 * 1024;

    public string Name => "s3";

    public string Description => "a 200 MB artifact uploaded and downloaded through S3 (moto on 127.0.0.1) and through the local file store";

    public async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var source = Path.Combine(report.WorkDirectory, "artifact.bin");
        await WriteArtifactAsync(source, Size, cancellationToken);

        using var moto = StartMoto();
        Environment.SetEnvironmentVariable("MLFLOW_S3_ENDPOINT_URL", moto.Endpoint);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "bench");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "bench");
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", "us-east-1");
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        using (var client = new AmazonS3Client("bench", "bench", new AmazonS3Config { ServiceURL = moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" }))
        {
            await client.PutBucketAsync(new PutBucketRequest { BucketName = "mlw-bench" }, cancellationToken);
        }

        // Both sides warmed the same way first (a 16 MB artifact: the multipart path, the SDK and the file code compiled),
        // then measured twice in the order S3, file, file, S3, so that neither side runs only cold or only late.
        var small = Path.Combine(report.WorkDirectory, "warm.bin");
        await WriteArtifactAsync(small, 16L * 1024 * 1024, cancellationToken);
        await MeasureAsync(report.WorkDirectory, "s3-warm", "s3://mlw-bench/warm", small, 16L * 1024 * 1024, cancellationToken);
        await MeasureAsync(report.WorkDirectory, "file-warm", null, small, 16L * 1024 * 1024, cancellationToken);

        var s3First = await MeasureAsync(report.WorkDirectory, "s3-1", "s3://mlw-bench/artifacts", source, Size, cancellationToken);
        var fileFirst = await MeasureAsync(report.WorkDirectory, "file-1", null, source, Size, cancellationToken);
        var fileSecond = await MeasureAsync(report.WorkDirectory, "file-2", null, source, Size, cancellationToken);
        var s3Second = await MeasureAsync(report.WorkDirectory, "s3-2", "s3://mlw-bench/artifacts2", source, Size, cancellationToken);
        report.Add("s3_upload_mb_per_s", (s3First.Upload + s3Second.Upload) / 2);
        report.Add("s3_download_mb_per_s", (s3First.Download + s3Second.Download) / 2);
        report.Add("file_upload_mb_per_s", (fileFirst.Upload + fileSecond.Upload) / 2);
        report.Add("file_download_mb_per_s", (fileFirst.Download + fileSecond.Download) / 2);
        FigureReport.Note(string.Create(CultureInfo.InvariantCulture, $"  each pass, MB/s up/down: s3 {s3First.Upload:F0}/{s3First.Download:F0}, file {fileFirst.Upload:F0}/{fileFirst.Download:F0}, file {fileSecond.Upload:F0}/{fileSecond.Download:F0}, s3 {s3Second.Upload:F0}/{s3Second.Download:F0}"));
    }

    /// <summary>Logs the artifact to a new run of a file store (its artifacts under <paramref name="artifactRoot"/>, or the store's folder), then downloads it; MB/s of each.</summary>
    private static async Task<(double Upload, double Download)> MeasureAsync(string work, string name, string? artifactRoot, string source, long size, CancellationToken cancellationToken)
    {
        var client = new MlflowClient(new FileTrackingStore(Path.Combine(work, name + "-mlruns"), defaultArtifactRoot: artifactRoot));
        await using var run = await client.StartRunAsync("s3-bench-" + name, cancellationToken: cancellationToken);
        var watch = Stopwatch.StartNew();
        await run.Artifacts.LogFileAsync(source, "data", cancellationToken);
        var megabytes = size / (1024.0 * 1024.0);
        var upload = megabytes / watch.Elapsed.TotalSeconds;
        watch.Restart();
        var downloaded = await run.Artifacts.DownloadAsync("data/" + Path.GetFileName(source), Path.Combine(work, name + "-download"), cancellationToken);
        var download = megabytes / watch.Elapsed.TotalSeconds;
        if (new FileInfo(downloaded).Length != size)
        {
            throw new InvalidOperationException($"The {name} download has {new FileInfo(downloaded).Length} bytes, not {size}.");
        }

        return (upload, download);
    }

    private static async Task WriteArtifactAsync(string path, long size, CancellationToken cancellationToken)
    {
        var block = new byte[1024 * 1024];
        new Random(1).NextBytes(block);
        await using var output = File.Create(path);
        for (long written = 0; written < size; written += block.Length)
        {
            block[0] = (byte)(written / block.Length);
            await output.WriteAsync(block, cancellationToken);
        }
    }

    private static Moto StartMoto()
    {
        var binary = new[] { "/root/.pyenv/shims", "/usr/local/bin" }.Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            .Select(d => Path.Combine(d, "moto_server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("moto_server was not found: install it with pip install \"moto[server]\" to run the s3 suite.");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 600; attempt++)
        {
            try
            {
                using var socket = new TcpClient();
                socket.Connect(IPAddress.Loopback, port);
                return new Moto(process, $"http://127.0.0.1:{port}");
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"moto_server did not listen on 127.0.0.1:{port} within 60 s.");
    }

    /// <summary>The moto process; disposing it kills its whole tree.</summary>
    private sealed class Moto(Process process, string endpoint) : IDisposable
    {
        public string Endpoint => endpoint;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}
