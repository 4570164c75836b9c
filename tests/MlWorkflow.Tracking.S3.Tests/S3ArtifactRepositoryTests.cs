using System.Text;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>The S3 repository against moto: MLflow's key layout, folder semantics, paging, streaming, and its errors (issue 18 point 1).</summary>
public sealed class S3ArtifactRepositoryTests
{
    [Test]
    public async Task Files_and_folders_are_stored_under_the_prefix_and_listed_one_level_at_a_time_as_MLflow_lists_them()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/team/1/run/artifacts", MotoServer.Instance.Options());
        using var temp = new TemporaryDirectory();
        File.WriteAllText(temp.Combine("notes.txt"), "hello");
        Directory.CreateDirectory(temp.Combine("model", "data"));
        File.WriteAllText(temp.Combine("model", "MLmodel"), "flavors: {}");
        File.WriteAllText(temp.Combine("model", "data", "weights.bin"), "0123456789");

        var logged = await repository.LogFileAsync(temp.Combine("notes.txt"), "docs");
        await repository.LogDirectoryAsync(temp.Combine("model"), "model");

        var keys = await MotoServer.Instance.KeysAsync(bucket);
        var top = await repository.ListAsync();
        var model = await repository.ListAsync("model");
        Assert.Multiple(() =>
        {
            Assert.That(logged, Is.EqualTo("docs/notes.txt"));
            Assert.That(keys, Is.EquivalentTo(new[] { "team/1/run/artifacts/docs/notes.txt", "team/1/run/artifacts/model/MLmodel", "team/1/run/artifacts/model/data/weights.bin" }));
            Assert.That(top.Select(f => (f.Path, f.IsDirectory)), Is.EqualTo(new[] { ("docs", true), ("model", true) }));
            Assert.That(model.Select(f => (f.Path, f.IsDirectory, f.FileSize)), Is.EqualTo(new[] { ("model/MLmodel", false, (long?)11), ("model/data", true, null) }));
            Assert.That(repository.ListAsync("model/MLmodel").Result, Is.Empty, "a file lists as empty, as in MLflow");
            Assert.That(repository.ListAsync("nothing-here").Result, Is.Empty);
        });
    }

    [Test]
    public async Task A_listing_of_more_than_a_thousand_keys_follows_every_page()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/many", MotoServer.Instance.Options());
        var names = Enumerable.Range(0, 1105).Select(i => $"f{i:D5}.txt").ToList();
        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (name, token) =>
        {
            using var body = new MemoryStream(Encoding.UTF8.GetBytes(name));
            await repository.WriteAsync("metrics/" + name, body, token);
        });
        await repository.WriteAsync("metrics/sub/inner.txt", new MemoryStream([1]));

        var listed = await repository.ListAsync("metrics");
        using var temp = new TemporaryDirectory();
        var downloaded = await repository.DownloadAsync("metrics", temp.Path);

        Assert.Multiple(() =>
        {
            Assert.That(listed, Has.Count.EqualTo(1106), "1,105 files and one folder, over two pages of S3's 1,000");
            Assert.That(listed.Where(f => !f.IsDirectory).Select(f => f.Path), Is.EqualTo(names.Select(n => "metrics/" + n)));
            Assert.That(listed.Single(f => f.IsDirectory).Path, Is.EqualTo("metrics/sub"));
            Assert.That(Directory.GetFiles(downloaded, "*", SearchOption.AllDirectories), Has.Length.EqualTo(1106));
            Assert.That(File.ReadAllText(Path.Combine(downloaded, "f01104.txt")), Is.EqualTo("f01104.txt"));
        });
    }

    [Test]
    public async Task A_multipart_upload_of_a_stream_that_cannot_seek_arrives_whole_and_downloads_as_a_stream()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/big", MotoServer.Instance.Options(partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024));
        var bytes = new byte[(12 * 1024 * 1024) + 123];
        new Random(7).NextBytes(bytes);

        await repository.WriteAsync("blob.bin", new NonSeekableStream(new MemoryStream(bytes)));

        await using var read = await repository.OpenReadAsync("blob.bin");
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Multiple(() =>
        {
            Assert.That(read.CanSeek, Is.False, "the object is read as it arrives");
            Assert.That(copy.ToArray(), Is.EqualTo(bytes));
        });
    }

    [Test]
    public async Task A_failed_multipart_upload_is_aborted_and_leaves_no_object_and_no_pending_upload()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/p", MotoServer.Instance.Options(partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024));

        var error = await Assert.ThrowsAsync<IOException>(() => repository.WriteAsync("broken.bin", new FailingStream(11 * 1024 * 1024)));

        using var client = MotoServer.Instance.Client();
        var uploads = await client.ListMultipartUploadsAsync(new Amazon.S3.Model.ListMultipartUploadsRequest { BucketName = bucket });
        Assert.Multiple(async () =>
        {
            Assert.That(error!.Message, Does.Contain("source broke"));
            Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.Empty);
            Assert.That(uploads.MultipartUploads ?? [], Is.Empty, "the upload was aborted");
        });
    }

    [TestCase("../escape.txt")]
    [TestCase("a/../../escape.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("a\\..\\b")]
    [TestCase("%2e%2e/escape.txt")]
    [TestCase("a/%252e%252e/%252e%252e/escape.txt")]
    [TestCase("%2fetc")]
    public async Task Paths_that_would_leave_the_prefix_are_refused_before_anything_is_sent(string path)
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/root/inner", MotoServer.Instance.Options());

        var write = await Assert.ThrowsAsync<MlflowException>(() => repository.WriteAsync(path, new MemoryStream([1])));
        var read = await Assert.ThrowsAsync<MlflowException>(() => repository.OpenReadAsync(path));
        var list = await Assert.ThrowsAsync<MlflowException>(() => repository.ListAsync(path));
        using var temp = new TemporaryDirectory();
        var download = await Assert.ThrowsAsync<MlflowException>(() => repository.DownloadAsync(path, temp.Path));

        Assert.Multiple(async () =>
        {
            foreach (var error in new[] { write, read, list, download })
            {
                Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
                Assert.That(error.Message, Does.StartWith("Invalid artifact path"));
            }

            Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.Empty);
        });
    }

    [TestCase("s3://bucket/../other")]
    [TestCase("s3://bucket/a/%2e%2e/%2e%2e/other")]
    [TestCase("s3://Bad_Bucket/x")]
    [TestCase("s3:///x")]
    public void Root_uris_that_are_not_a_bucket_and_a_safe_prefix_are_refused(string uri)
    {
        var error = Assert.Throws<MlflowException>(() => _ = new S3ArtifactRepository(uri, MotoServer.Instance.Options()));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
    }

    [Test]
    public async Task Keys_written_by_someone_else_that_would_leave_the_download_folder_are_refused()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        using (var client = MotoServer.Instance.Client())
        {
            await client.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = bucket, Key = "root/dir/../../../evil.txt", ContentBody = "x" });
        }

        var repository = new S3ArtifactRepository($"s3://{bucket}/root", MotoServer.Instance.Options());
        using var temp = new TemporaryDirectory();
        var error = await Assert.ThrowsAsync<MlflowException>(() => repository.DownloadAsync("dir", temp.Combine("out")));

        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
            Assert.That(Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories), Is.Empty);
            Assert.That(File.Exists(Path.Combine(Path.GetTempPath(), "evil.txt")), Is.False);
        });
    }

    [Test]
    public async Task A_missing_artifact_and_a_missing_bucket_are_reported_as_such()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/p", MotoServer.Instance.Options());
        var missingBucket = new S3ArtifactRepository("s3://no-such-bucket-mlw/p", MotoServer.Instance.Options());

        var missingFile = await Assert.ThrowsAsync<MlflowException>(() => repository.OpenReadAsync("absent.txt"));
        using var temp = new TemporaryDirectory();
        var missingDownload = await Assert.ThrowsAsync<MlflowException>(() => repository.DownloadAsync("absent.txt", temp.Path));
        var write = await Assert.ThrowsAsync<MlflowException>(() => missingBucket.WriteAsync("a.txt", new MemoryStream([1])));
        var list = await Assert.ThrowsAsync<MlflowException>(() => missingBucket.ListAsync());

        Assert.Multiple(() =>
        {
            Assert.That(missingFile!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
            Assert.That(missingFile.Message, Does.StartWith("Artifact 'absent.txt' does not exist"));
            Assert.That(missingDownload!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
            foreach (var error in new[] { write, list })
            {
                Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
                Assert.That(error.Message, Does.StartWith("The S3 bucket 'no-such-bucket-mlw' does not exist on the S3 endpoint " + MotoServer.Instance.Endpoint));
            }
        });
    }

    [Test]
    public void Missing_credentials_fail_at_once_with_what_to_set()
    {
        // Only the endpoint: no keys, no profile, and no instance metadata to ask.
        var options = S3ArtifactRepositoryOptions.FromEnvironment(name => name switch
        {
            "MLFLOW_S3_ENDPOINT_URL" => MotoServer.Instance.Endpoint,
            "AWS_EC2_METADATA_DISABLED" => "true",
            _ => null,
        });

        var error = Assert.Throws<MlflowException>(() => _ = new S3ArtifactRepository("s3://some-bucket/p", options));
        var half = Assert.Throws<MlflowException>(() => _ = new S3ArtifactRepository("s3://some-bucket/p", S3ArtifactRepositoryOptions.FromEnvironment(name => name == "AWS_ACCESS_KEY_ID" ? "only-the-id" : null)));

        Assert.Multiple(() =>
        {
            Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.Unauthenticated));
            Assert.That(error.Message, Does.Contain("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
            Assert.That(half!.ErrorCode, Is.EqualTo(ErrorCode.Unauthenticated));
            Assert.That(half.Message, Does.Contain("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
        });
    }

    [Test]
    public void The_environment_is_read_as_MLflow_reads_it()
    {
        var variables = new Dictionary<string, string>
        {
            ["MLFLOW_S3_ENDPOINT_URL"] = "https://minio.local:9000",
            ["MLFLOW_S3_IGNORE_TLS"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "id",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_SESSION_TOKEN"] = "token",
            ["AWS_REGION"] = "eu-west-3",
        };

        var options = S3ArtifactRepositoryOptions.FromEnvironment(name => variables.GetValueOrDefault(name));

        Assert.Multiple(() =>
        {
            Assert.That(options.EndpointUrl, Is.EqualTo("https://minio.local:9000"));
            Assert.That(options.IgnoreTls, Is.True);
            Assert.That((options.AccessKeyId, options.SecretAccessKey, options.SessionToken), Is.EqualTo(("id", "secret", "token")));
            Assert.That(options.Region, Is.EqualTo("eu-west-3"), "AWS_REGION when AWS_DEFAULT_REGION is not set");
            Assert.That(S3ArtifactRepositoryOptions.FromEnvironment(_ => null).IgnoreTls, Is.False);
        });
    }

    [Test]
    public async Task Deleting_a_folder_removes_every_object_under_it_and_nothing_beside_it()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/r", MotoServer.Instance.Options());
        foreach (var path in new[] { "a/1.txt", "a/b/2.txt", "ab.txt", "c.txt" })
        {
            await repository.WriteAsync(path, new MemoryStream([1]));
        }

        await repository.DeleteAsync("a");
        await repository.DeleteAsync("c.txt");

        Assert.Multiple(async () =>
        {
            Assert.That(await MotoServer.Instance.KeysAsync(bucket), Is.EqualTo(new[] { "r/ab.txt" }), "a/ is a folder: ab.txt is not under it");
            Assert.That((await Assert.ThrowsAsync<MlflowException>(() => repository.DeleteAsync("")))!.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        });
    }

    [Test]
    public void The_factory_serves_s3_uris_from_the_package_without_any_registration()
    {
        var repository = new ArtifactRepositoryFactory().Create("s3://some-bucket/prefix/1/run/artifacts");

        Assert.That(repository, Is.TypeOf<S3ArtifactRepository>());
        Assert.That(repository.RootUri, Is.EqualTo("s3://some-bucket/prefix/1/run/artifacts"));
    }

    private sealed class NonSeekableStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Gives some bytes, then fails as a dropped connection would.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        private long _given;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_given >= failAfter)
            {
                throw new IOException("source broke");
            }

            var n = (int)Math.Min(count, failAfter - _given);
            Array.Fill(buffer, (byte)7, offset, n);
            _given += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
