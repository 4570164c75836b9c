using MlWorkflow.Tracking;

namespace MlWorkflow.Tests.Autologging;

/// <summary>A test class that logs to a file store in a temporary folder of its own, deleted after each test.</summary>
public abstract class TrackedStoreFixture
{
    private TemporaryDirectory _temp = null!;

    /// <summary>The test's temporary folder (the store is its <c>mlruns</c> subfolder).</summary>
    protected string TempPath => _temp.Path;

    /// <summary>A client on the test's store.</summary>
    protected MlflowClient Client { get; private set; } = null!;

    [SetUp]
    public void CreateStore()
    {
        _temp = new TemporaryDirectory();
        Client = MlflowClient.Create(Path.Combine(_temp.Path, "mlruns"));
    }

    [TearDown]
    public void DeleteStore()
    {
        Client.Dispose();
        _temp.Dispose();
    }
}
