namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>Stops the throwaway PostgreSQL server after the tests of this namespace.</summary>
[SetUpFixture]
public sealed class PostgresServerSetup
{
    [OneTimeTearDown]
    public void StopServer()
    {
        if (PostgresServer.Started)
        {
            PostgresServer.Instance.Stop();
        }
    }
}
