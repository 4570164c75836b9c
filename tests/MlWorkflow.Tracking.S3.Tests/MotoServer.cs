using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.S3;
using Amazon.S3.Model;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>
/// A real S3-compatible server for the tests: Python moto's <c>moto_server</c> on a free loopback port, started once and stopped
/// (its whole process tree) after the run by <see cref="MotoServerSetup"/>. A machine without it fails the tests with a one-line
/// hint; they are never skipped.
/// </summary>
internal sealed class MotoServer
{
    public const string AccessKey = "mlw-test-key";
    public const string SecretKey = "mlw-test-secret";
    private static readonly Lazy<MotoServer> Shared = new(Start);
    private static int _buckets;
    private readonly Process _process;

    private MotoServer(Process process, int port)
    {
        _process = process;
        Endpoint = $"http://127.0.0.1:{port}";
    }

    /// <summary>The endpoint, as <c>MLFLOW_S3_ENDPOINT_URL</c> names it.</summary>
    public string Endpoint { get; }

    public static bool Started => Shared.IsValueCreated;

    public static MotoServer Instance => Shared.Value;

    /// <summary>Options that reach this server with its test credentials.</summary>
    public S3ArtifactRepositoryOptions Options(int? partSize = null, long? multipartThreshold = null) => new()
    {
        EndpointUrl = Endpoint,
        AccessKeyId = AccessKey,
        SecretAccessKey = SecretKey,
        Region = "us-east-1",
        UseInstanceCredentials = false,
        PartSize = partSize ?? 8 * 1024 * 1024,
        MultipartThreshold = multipartThreshold ?? 8 * 1024 * 1024,
    };

    /// <summary>A client of this server for checks that go around the repository (the objects a bucket really holds).</summary>
    public AmazonS3Client Client() => new(AccessKey, SecretKey, new AmazonS3Config { ServiceURL = Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>Creates an empty bucket with a name of its own.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var name = $"mlw-{Environment.ProcessId}-{Interlocked.Increment(ref _buckets)}";
        using var client = Client();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = name });
        return name;
    }

    /// <summary>Every key of a bucket (all pages).</summary>
    public async Task<List<string>> KeysAsync(string bucket, string prefix = "")
    {
        using var client = Client();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return keys;
    }

    public void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static MotoServer Start()
    {
        var binary = Find();
        var port = FreePort();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Ready when it accepts connections; it takes a second or two to import moto.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail($"moto_server exited ({process.ExitCode}) before it listened on 127.0.0.1:{port}: {output}");
            }

            try
            {
                using var socket = new TcpClient();
                socket.Connect(IPAddress.Loopback, port);
                return new MotoServer(process, port);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }

        process.Kill(entireProcessTree: true);
        Assert.Fail($"moto_server did not listen on 127.0.0.1:{port} within 60 s: {output}");
        throw new InvalidOperationException("unreachable");
    }

    private static string Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/root/.pyenv/shims").Append("/usr/local/bin"))
        {
            var path = Path.Combine(directory, "moto_server");
            if (directory.Length > 0 && File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail("moto_server was not found (on PATH, /root/.pyenv/shims or /usr/local/bin): install it with pip install \"moto[server]\" to run the S3 tests.");
        throw new InvalidOperationException("unreachable");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
