using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>A fresh temp folder per test, deleted afterwards, with helpers to open a store in it and read its files.</summary>
public abstract class TempStoreFixture
{
    private TemporaryDirectory _temp = null!;

    /// <summary>The test's temp folder.</summary>
    protected string TempDirectory => _temp.Path;

    /// <summary>The store root inside the temp folder.</summary>
    protected string Root => Path.Combine(TempDirectory, "mlruns");

    [SetUp]
    public void CreateTempDirectory() => _temp = new TemporaryDirectory();

    [TearDown]
    public void DeleteTempDirectory() => _temp.Dispose();

    /// <summary>Opens a store at <see cref="Root"/>.</summary>
    protected FileTrackingStore OpenStore(TimeProvider? time = null) => new(Root, time);

    /// <summary>Reads a file under the root (path with '/').</summary>
    protected string ReadFile(string relativePath) => System.IO.File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>Copies the MLflow-written store (TestData) to <see cref="Root"/> and returns its summary folder.</summary>
    protected void CopyMlflowStore()
    {
        var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "mlflow-file-store", "mlruns");
        CopyDirectory(source, Root);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
        {
            System.IO.File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            System.IO.File.SetAttributes(Path.Combine(target, Path.GetFileName(file)), FileAttributes.Normal);
        }

        foreach (var directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}

/// <summary>A clock the tests move by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    public ManualClock(long unixMilliseconds) => Now = unixMilliseconds;

    public long Now { get; set; }

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds(Now);
}
