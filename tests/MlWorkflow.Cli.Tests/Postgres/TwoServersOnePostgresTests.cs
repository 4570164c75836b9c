using System.Diagnostics;
using MlWorkflow.Cli.Tests;
using MlWorkflow.Tracking.Stores.Sql;

namespace MlWorkflow.Tracking.Sql.Tests.Postgres;

/// <summary>Two <c>mlw server</c> processes over one PostgreSQL database, 16 writers each on one run: nothing lost, nothing doubled.</summary>
[TestFixture]
public sealed class TwoServersOnePostgresTests
{
    private const int WritersPerServer = 16;
    private const int BatchesPerWriter = 10;
    private const int PointsPerBatch = 50;

    [Test]
    public async Task Sixteen_writers_on_each_of_two_servers_lose_and_double_nothing_on_one_run()
    {
        using var directory = new TemporaryDirectory();
        var database = PostgresServer.Instance.CreateDatabase();
        var servers = new List<Process>();
        try
        {
            var uris = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var process = Process.Start(Mlw.StartInfo(directory.Path, null, "server", "--backend-store-uri", database, "--artifacts-destination", directory.Combine("artifacts"), "--port", "0", "--log-level", "warning"))!;
                servers.Add(process);
                uris.Add(await SqlStoreCommandTests.ReadServerUriAsync(process));
            }

            string runId;
            await using (var setup = MlflowClient.Create(uris[0]))
            {
                var experimentId = await setup.CreateExperimentAsync("concurrent");
                runId = (await setup.CreateRunAsync(new CreateRunRequest { ExperimentId = experimentId })).Info.RunId;
            }

            var writers = new List<Task>();
            for (var server = 0; server < 2; server++)
            {
                for (var writer = 0; writer < WritersPerServer; writer++)
                {
                    var (s, w) = (server, writer);
                    writers.Add(Task.Run(async () =>
                    {
                        await using var client = MlflowClient.Create(uris[s]);
                        for (var batch = 0; batch < BatchesPerWriter; batch++)
                        {
                            var first = (((s * WritersPerServer) + w) * BatchesPerWriter + batch) * PointsPerBatch;
                            var points = Enumerable.Range(first, PointsPerBatch).Select(step => new Metric("loss", step, 1_700_000_000_000 + step, step)).ToArray();
                            await client.Store.LogBatchAsync(runId, points, batch == 0 ? [new Param($"writer_{s}_{w}", "x")] : [], [new RunTag($"last_{s}_{w}", batch.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                        }
                    }));
                }
            }

            await Task.WhenAll(writers);

            var store = new SqlTrackingStore(database);
            var history = await store.GetMetricHistoryAsync(runId, "loss");
            var run = await store.GetRunAsync(runId);
            const int Total = 2 * WritersPerServer * BatchesPerWriter * PointsPerBatch;

            Assert.That(history.Items, Has.Count.EqualTo(Total));
            Assert.That(history.Items.Select(m => m.Step).Distinct().Count(), Is.EqualTo(Total));
            Assert.That(run.Data.GetMetric("loss")!.Step, Is.EqualTo(Total - 1));
            Assert.That(run.Data.Params.Count(p => p.Key.StartsWith("writer_", StringComparison.Ordinal)), Is.EqualTo(2 * WritersPerServer));
            Assert.That(run.Data.Tags.Where(t => t.Key.StartsWith("last_", StringComparison.Ordinal)).Select(t => t.Value), Has.Exactly(2 * WritersPerServer).EqualTo((BatchesPerWriter - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        finally
        {
            foreach (var process in servers)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }

                process.Dispose();
            }
        }
    }
}
