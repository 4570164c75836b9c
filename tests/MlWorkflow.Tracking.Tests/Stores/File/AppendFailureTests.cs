using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>An append that the disk refuses (Linux's <c>/dev/full</c> answers every write with ENOSPC) is an error naming the file, not its folder.</summary>
[TestFixture]
public sealed class AppendFailureTests
{
    private const string FullDevice = "/dev/full";

    [SetUp]
    public void RequireFullDevice() => Assume.That(OperatingSystem.IsLinux() && System.IO.File.Exists(FullDevice), "needs Linux's /dev/full");

    [Test]
    public void A_refused_append_names_the_file_and_its_errno()
    {
        var error = Assert.Throws<IOException>(() => StoreFiles.Append(FullDevice, StoreFiles.Encode("line\n")));

        Assert.That(error!.Message, Does.StartWith("Could not append to 'full' (errno 28"));
    }

    [Test]
    public void A_refused_metric_append_says_it_was_a_metric_file()
    {
        using var metrics = new TemporaryDirectory();

        var error = Assert.Throws<IOException>(() => MetricFileAppender.AppendAll(metrics.Path, [(FullDevice, StoreFiles.Encode("1700000000000 0.5 0\n"))]));

        Assert.That(error!.Message, Does.StartWith("Could not append to metric file 'full' (errno 28"));
    }
}
