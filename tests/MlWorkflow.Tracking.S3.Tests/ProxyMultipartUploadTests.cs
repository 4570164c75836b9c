using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3.Model;
using MlWorkflow.Server;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>
/// The proxy's multipart routes against moto, as MLflow's client drives them: create, PUT each part to its presigned URL
/// (straight to S3), complete with the parts' ETags; abort; a local destination answers 501; a path that leaves the root is refused.
/// </summary>
public sealed class ProxyMultipartUploadTests
{
    private const int PartSize = 5 * 1024 * 1024;

    [Test]
    public async Task Parts_put_to_their_presigned_urls_and_completed_become_one_artifact_that_downloads_identical()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        await using var server = await StartAsync(temp, $"s3://{bucket}/proxy");
        using var http = new HttpClient { BaseAddress = server.Uri };
        // .md: a type the AWS SDK does not guess from the key itself (it would for .csv), so the Content-Type checked is the store's.
        const string Key = "proxy/1/abc/artifacts/data/notes.md";
        var bytes = new byte[PartSize + 123_457];
        new Random(18).NextBytes(bytes);
        var slices = new[] { bytes[..PartSize], bytes[PartSize..] };

        using var created = await PostAsync(http, "mpu/create/1/abc/artifacts/data", new { path = "/home/me/local dir/notes.md", num_parts = 2 });
        var uploadId = created.RootElement.GetProperty("upload_id").GetString()!;
        var credentials = created.RootElement.GetProperty("credentials").EnumerateArray().ToList();
        var parts = new List<object>();
        var etags = new List<string>();
        foreach (var credential in credentials)
        {
            var number = credential.GetProperty("part_number").GetInt32();
            using var part = new ByteArrayContent(slices[number - 1]);
            using var put = await http.PutAsync(new Uri(credential.GetProperty("url").GetString()!), part);
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
            etags.Add(put.Headers.ETag!.Tag);
            parts.Add(new { part_number = number, etag = put.Headers.ETag!.Tag, url = credential.GetProperty("url").GetString() });
        }

        using var s3 = MotoServer.Instance.Client();
        var pendingBefore = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        var partsBefore = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = Key, UploadId = uploadId });
        using var completed = await PostAsync(http, "mpu/complete/1/abc/artifacts/data", new { path = "/home/me/local dir/notes.md", upload_id = uploadId, parts });
        var downloaded = await http.GetByteArrayAsync("api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts/data/notes.md");
        var head = await s3.GetObjectMetadataAsync(bucket, Key);
        var pendingAfter = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });

        Assert.Multiple(async () =>
        {
            Assert.That(credentials.Select(c => c.GetProperty("part_number").GetInt32()), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(credentials.Select(c => c.GetProperty("url").GetString()), Has.All.StartWith(MotoServer.Instance.Endpoint + "/" + bucket + "/" + Key + "?"), "each part goes straight to S3, not through the server");
            Assert.That(credentials.Select(c => QueryOf(c.GetProperty("url").GetString()!, "partNumber")), Is.EqualTo(new[] { "1", "2" }), "each URL presigns its own part");
            Assert.That(credentials.Select(c => QueryOf(c.GetProperty("url").GetString()!, "uploadId")), Has.All.EqualTo(uploadId), "each URL presigns a part of this upload");
            Assert.That(credentials.Select(c => c.GetProperty("headers").GetRawText()), Is.EqualTo(new[] { "{}", "{}" }), "S3's parts need no header (as MLflow's S3 repository answers)");
            Assert.That(etags, Is.EqualTo(slices.Select(Md5Etag)), "S3 answered each part's MD5: the bytes each URL took are that part's");
            Assert.That(pendingBefore.MultipartUploads.Select(u => (u.Key, u.UploadId)), Is.EqualTo(new[] { (Key, uploadId) }), "create started one upload of <path>/<name of the client's file>");
            Assert.That(partsBefore.Parts.Select(p => (p.PartNumber, p.Size, p.ETag)), Is.EqualTo(new[] { (1, (long)PartSize, etags[0]), (2, 123_457L, etags[1]) }));
            Assert.That(completed.RootElement.EnumerateObject(), Is.Empty, "complete answers {}");
            Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.EqualTo(new[] { Key }), "the artifact is <path>/<name of the client's file>");
            Assert.That(head.ETag, Is.EqualTo(MultipartEtag(slices)), "the object is those two parts, completed with their ETags in order");
            Assert.That(head.ContentLength, Is.EqualTo(bytes.Length));
            Assert.That(head.Headers.ContentType, Is.EqualTo("text/markdown"), "the object has the Content-Type its name implies, as a single PUT gives it");
            Assert.That(pendingAfter.MultipartUploads ?? [], Is.Empty, "the completed upload is no longer pending");
            Assert.That(downloaded, Is.EqualTo(bytes), "the parts downloaded through the proxy are the bytes sent");
        });
    }

    [Test]
    public async Task An_aborted_upload_leaves_no_object_and_no_pending_upload()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        await using var server = await StartAsync(temp, $"s3://{bucket}/proxy");
        using var http = new HttpClient { BaseAddress = server.Uri };

        using var created = await PostAsync(http, "mpu/create/2/run/artifacts", new { path = "model.zip", num_parts = 3 });
        var uploadId = created.RootElement.GetProperty("upload_id").GetString()!;
        var first = created.RootElement.GetProperty("credentials")[0].GetProperty("url").GetString()!;
        using (var put = await http.PutAsync(new Uri(first), new ByteArrayContent(new byte[PartSize])))
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        using var s3 = MotoServer.Instance.Client();
        var before = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });
        using var aborted = await PostAsync(http, "mpu/abort/2/run/artifacts", new { path = "model.zip", upload_id = uploadId });
        var pending = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });

        Assert.Multiple(async () =>
        {
            Assert.That(before.MultipartUploads.Select(u => (u.Key, u.UploadId)), Is.EqualTo(new[] { ("proxy/2/run/artifacts/model.zip", uploadId) }), "the upload was pending before the abort");
            Assert.That(aborted.RootElement.EnumerateObject(), Is.Empty);
            Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.Empty);
            Assert.That(pending.MultipartUploads ?? [], Is.Empty);
        });
    }

    [Test]
    public async Task A_local_destination_answers_501_with_MLflows_message_so_that_clients_fall_back_to_one_put()
    {
        using var temp = new TemporaryDirectory();
        await using var server = await StartAsync(temp, temp.Combine("artifacts"));
        using var http = new HttpClient { BaseAddress = server.Uri };

        foreach (var step in new[] { "create", "complete", "abort" })
        {
            using var answer = await http.PostAsJsonAsync($"api/2.0/mlflow-artifacts/mpu/{step}/1/abc/artifacts", new { path = "big.bin", num_parts = 2, upload_id = "u", parts = new[] { new { part_number = 1, etag = "e" } } });
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;

            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented), step);
            Assert.That(body["error_code"]!.GetValue<string>(), Is.EqualTo("NOT_IMPLEMENTED"), step);
            Assert.That(body["message"]!.GetValue<string>(), Is.EqualTo("Multipart upload is not supported for the current artifact repository"), step);
        }

        Assert.That(Directory.Exists(temp.Combine("artifacts")), Is.False, "nothing was written");
    }

    [TestCase("mpu/create/..%2F..%2Fescape", "big.bin")]
    [TestCase("mpu/create/1/%252e%252e/%252e%252e/%252e%252e/escape", "big.bin")]
    [TestCase("mpu/create/1/abc/artifacts", "..")]
    [TestCase("mpu/create/1/abc/artifacts", "C:\\data\\")]
    [TestCase("mpu/complete/..%2Fescape", "big.bin")]
    [TestCase("mpu/abort/..%2Fescape", "big.bin")]
    public async Task A_path_that_would_leave_the_destination_is_refused_and_nothing_is_started(string route, string clientPath)
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        await using var server = await StartAsync(temp, $"s3://{bucket}/proxy");
        using var http = new HttpClient { BaseAddress = server.Uri };

        using var answer = await http.PostAsJsonAsync("api/2.0/mlflow-artifacts/" + route, new { path = clientPath, num_parts = 1, upload_id = "u", parts = new[] { new { part_number = 1, etag = "e" } } });
        using var s3 = MotoServer.Instance.Client();
        var pending = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket });

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await answer.Content.ReadAsStringAsync());
        Assert.That(await ErrorCodeAsync(answer), Is.EqualTo("INVALID_PARAMETER_VALUE"));
        Assert.That(pending.MultipartUploads ?? [], Is.Empty);
    }

    [Test]
    public async Task A_part_count_out_of_range_is_refused_with_what_to_give()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using var temp = new TemporaryDirectory();
        await using var server = await StartAsync(temp, $"s3://{bucket}/proxy");
        using var http = new HttpClient { BaseAddress = server.Uri };

        using var zero = await http.PostAsJsonAsync("api/2.0/mlflow-artifacts/mpu/create/1/a", new { path = "big.bin", num_parts = 0 });
        using var many = await http.PostAsJsonAsync("api/2.0/mlflow-artifacts/mpu/create/1/a", new { path = "big.bin", num_parts = 10_001 });

        Assert.That(zero.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await many.Content.ReadAsStringAsync(), Does.Contain("1 to 10000 parts"));
    }

    private static Task<TrackingServer> StartAsync(TemporaryDirectory temp, string destination) => TrackingServer.StartAsync(new TrackingServerOptions
    {
        BackendStoreUri = temp.Combine("mlruns"),
        ArtifactsDestination = destination,
        ServeUi = false,
        Port = 0,
    });

    private static async Task<JsonDocument> PostAsync(HttpClient http, string route, object body)
    {
        using var answer = await http.PostAsJsonAsync("api/2.0/mlflow-artifacts/" + route, body);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text);
    }

    /// <summary>One query parameter of a presigned URL, decoded.</summary>
    private static string? QueryOf(string url, string name) =>
        new Uri(url).Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).Where(p => p[0] == name).Select(p => Uri.UnescapeDataString(p[1])).SingleOrDefault();

    /// <summary>The ETag S3 answers for a part: its MD5 in hex, quoted.</summary>
    private static string Md5Etag(byte[] part) => "\"" + Convert.ToHexStringLower(MD5.HashData(part)) + "\"";

    /// <summary>The ETag S3 gives an object completed from these parts in order: the MD5 of their MD5s, a dash, the part count.</summary>
    private static string MultipartEtag(byte[][] parts) =>
        "\"" + Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(MD5.HashData).ToArray())) + "-" + parts.Length + "\"";

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage answer) =>
        JsonNode.Parse(await answer.Content.ReadAsStringAsync())?["error_code"]?.GetValue<string>();
}
