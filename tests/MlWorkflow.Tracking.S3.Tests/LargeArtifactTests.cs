using System.Security.Cryptography;

namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>A 200 MB artifact goes up in parts and comes down as a stream: the process never holds it (issue 18 point 1).</summary>
public sealed class LargeArtifactTests
{
    private const long Size = 200L * 1024 * 1024;

    /// <summary>Half the artifact: a repository that buffered the file (or the object) whole could not stay under it.</summary>
    private const long MemoryBound = Size / 2;

    [Test]
    public async Task A_200_MB_artifact_is_uploaded_and_downloaded_with_bounded_memory()
    {
        var bucket = await MotoServer.Instance.CreateBucketAsync();
        var repository = new S3ArtifactRepository($"s3://{bucket}/large", MotoServer.Instance.Options());
        using var temp = new TemporaryDirectory();
        var source = temp.Combine("big.bin");
        var expected = await WriteFileAsync(source);

        using var memory = new PeakMemory();
        await repository.LogFileAsync(source, "data");
        var uploadPeak = memory.TakePeak();
        var downloaded = await repository.DownloadAsync("data/big.bin", temp.Combine("out"));
        var downloadPeak = memory.TakePeak();

        var listed = await repository.ListAsync("data");
        Assert.Multiple(() =>
        {
            Assert.That(listed.Single().FileSize, Is.EqualTo(Size));
            Assert.That(HashOf(downloaded), Is.EqualTo(expected), "the bytes came back unchanged");
            Assert.That(uploadPeak, Is.LessThan(MemoryBound), $"managed memory grew by {uploadPeak / 1048576} MB during the upload");
            Assert.That(downloadPeak, Is.LessThan(MemoryBound), $"managed memory grew by {downloadPeak / 1048576} MB during the download");
        });
    }

    /// <summary>Writes <see cref="Size"/> bytes of a repeating pseudo-random block, a block at a time; returns their SHA-256.</summary>
    private static async Task<byte[]> WriteFileAsync(string path)
    {
        var block = new byte[1024 * 1024];
        new Random(3).NextBytes(block);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var output = File.Create(path);
        for (long written = 0; written < Size; written += block.Length)
        {
            // Each block differs from the last, so that a part uploaded twice or out of order would show.
            block[0] = (byte)(written / block.Length);
            hash.AppendData(block);
            await output.WriteAsync(block);
        }

        return hash.GetHashAndReset();
    }

    private static byte[] HashOf(string path)
    {
        using var stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }

    /// <summary>Samples the managed heap (live objects and garbage not yet collected) every few milliseconds and keeps the highest growth over the start.</summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampler;
        private long _baseline;
        private long _peak;

        public PeakMemory()
        {
            _baseline = GC.GetTotalMemory(forceFullCollection: true);
            _sampler = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var now = GC.GetTotalMemory(forceFullCollection: false);
                    InterlockedMax(ref _peak, now);
                    await Task.Delay(5);
                }
            });
        }

        /// <summary>The peak growth since the start or the last call, then starts again.</summary>
        public long TakePeak()
        {
            var peak = Interlocked.Exchange(ref _peak, 0) - _baseline;
            _baseline = GC.GetTotalMemory(forceFullCollection: true);
            return Math.Max(0, peak);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _sampler.Wait();
            _stop.Dispose();
        }

        private static void InterlockedMax(ref long target, long value)
        {
            var current = Interlocked.Read(ref target);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
