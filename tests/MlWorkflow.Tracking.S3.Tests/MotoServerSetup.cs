namespace MlWorkflow.Tracking.S3.Tests;

/// <summary>
/// Starts moto before the tests and points the process's S3 environment at it (as a user's <c>MLFLOW_S3_ENDPOINT_URL</c> and AWS
/// variables would), so that repositories found through <see cref="Artifacts.ArtifactRepositoryFactory"/> reach it; stops it after.
/// </summary>
[SetUpFixture]
public sealed class MotoServerSetup
{
    [OneTimeSetUp]
    public void StartServer()
    {
        var server = MotoServer.Instance;
        Environment.SetEnvironmentVariable("MLFLOW_S3_ENDPOINT_URL", server.Endpoint);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", MotoServer.AccessKey);
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", MotoServer.SecretKey);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", "us-east-1");

        // No credential lookup may leave the machine (the EC2 metadata endpoint).
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
    }

    [OneTimeTearDown]
    public void StopServer()
    {
        if (MotoServer.Started)
        {
            MotoServer.Instance.Stop();
        }
    }
}
