namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>
/// The S3 clients shared by repositories: at most <see cref="S3Clients.Capacity"/> configurations keep one; a dropped client is
/// disposed once its last transfer ends (never under one); a changed configuration (endpoint, keys) gets a client of its own.
/// </summary>
[NonParallelizable]
public sealed class S3ClientCacheTests
{
    [Test]
    public async Task Many_configurations_keep_a_bounded_number_of_clients_and_a_dropped_client_is_disposed_after_its_last_transfer()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var first = new S3ArtifactRepository($"s3://{bucket}/cache", Keyed("first"));
        await first.WriteAsync("a.bin", new MemoryStream(new byte[100_000]));
        Amazon.S3.IAmazonS3 firstClient;
        using (var lease = S3Clients.Rent(Keyed("first")))
        {
            firstClient = lease.Client;
        }

        // A download in progress holds the first configuration's client while others push it out of the cache.
        var reading = await first.OpenReadAsync("a.bin");
        var head = new byte[10];
        await reading.ReadExactlyAsync(head);
        for (var i = 0; i < S3Clients.Capacity + 3; i++)
        {
            var other = new S3ArtifactRepository($"s3://{bucket}/cache", Keyed("other-" + i));
            Assert.That(await other.ListAsync(), Has.Count.EqualTo(1));
        }

        var countAfter = S3Clients.Count;
        var rest = new MemoryStream();
        await reading.CopyToAsync(rest);
        var usableDuringTransfer = await ListBucketsAsync(firstClient);
        await reading.DisposeAsync();
        var usableAfterTransfer = await ListBucketsAsync(firstClient);
        var listedAgain = await first.ListAsync();

        Assert.Multiple(() =>
        {
            Assert.That(countAfter, Is.LessThanOrEqualTo(S3Clients.Capacity), "the cache is bounded");
            Assert.That(head.Length + rest.Length, Is.EqualTo(100_000), "a transfer whose client was dropped meanwhile ends whole");
            Assert.That(usableDuringTransfer, Is.True, "a dropped client stays alive while a transfer uses it");
            Assert.That(usableAfterTransfer, Is.False, "a dropped client is disposed once its last transfer ends");
            Assert.That(listedAgain.Select(f => f.Path), Is.EqualTo(new[] { "a.bin" }), "a repository whose client was dropped gets a new one");
        });
    }

    [Test]
    public async Task A_changed_endpoint_is_seen_by_repositories_created_after_the_change()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var environment = new Dictionary<string, string?>
        {
            ["MLFLOW_S3_ENDPOINT_URL"] = MotoServer.Instance.Endpoint,
            ["AWS_ACCESS_KEY_ID"] = MotoServer.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = MotoServer.SecretKey,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        var before = new S3ArtifactRepository($"s3://{bucket}/p", S3ArtifactRepositoryOptions.FromEnvironment(n => environment.GetValueOrDefault(n)));
        await before.WriteAsync("a.txt", new MemoryStream("a"u8.ToArray()));

        environment["MLFLOW_S3_ENDPOINT_URL"] = "http://127.0.0.1:9";
        var after = new S3ArtifactRepository($"s3://{bucket}/p", S3ArtifactRepositoryOptions.FromEnvironment(n => environment.GetValueOrDefault(n)));
        var error = await Assert.ThrowsAsync<MlflowException>(() => after.ListAsync());

        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.TemporarilyUnavailable));
        Assert.That(error.Message, Does.Contain("http://127.0.0.1:9"), "the new endpoint was used, not the cached client of the old one");
        Assert.That((await before.ListAsync()).Select(f => f.Path), Is.EqualTo(new[] { "a.txt" }), "the earlier repository keeps its endpoint");
    }

    private static S3ArtifactRepositoryOptions Keyed(string accessKey)
    {
        var options = MotoServer.Instance.Options();
        return new S3ArtifactRepositoryOptions
        {
            EndpointUrl = options.EndpointUrl,
            Region = options.Region,
            AccessKeyId = accessKey,
            SecretAccessKey = MotoServer.SecretKey,
            UseInstanceCredentials = false,
        };
    }

    private static async Task<bool> ListBucketsAsync(Amazon.S3.IAmazonS3 client)
    {
        try
        {
            await client.ListBucketsAsync();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
