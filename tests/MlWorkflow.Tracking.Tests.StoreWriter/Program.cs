using System.Globalization;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Registry;
using MlWorkflow.Tracking.Stores.File;

// Usage (the tests start this program several times against one store):
//   create-experiment <root> <name>                   prints "created <id>" (exit 0) or "exists" (exit 3)
//   log <root> <run id> <writer> <batches> <points>    appends <batches> batches of <points> metric values to the
//                                                      shared metric "shared" and to "w<writer>", plus a param and a tag
//   log-forever <root> <run id>                        logs batches until killed; prints "ready" after the first one
//   register <root> <model> <writer> <count>           registers <count> versions of <model> (created if missing) in the
//                                                      root's registry, sources file:///w<writer>/<i>; prints each version
//   active-run-exit <root> <points>                    starts an ActiveRun, queues <points> metric values, prints the
//                                                      run id and returns from Main WITHOUT ending the run: the
//                                                      process-exit hook must write them and end the run FINISHED
//   active-run-crash <root>                            starts an ActiveRun, logs a value, prints the run id, then dies of
//                                                      an unhandled exception: the run must end FAILED
//   active-run-exit-stuck <root>                       as active-run-exit, but the store never finishes a log-batch and
//                                                      ExitFlushTimeout is 0.2 s: the hook must say on stderr that it gave up
//   active-run-exit-failing <root>                     as active-run-exit, but every log-batch fails with a message that
//                                                      carries a bearer token (ExitFlushTimeout 2 min): stderr must not show it
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: create-experiment <root> <name> | log <root> <run> <writer> <batches> <points> | log-forever <root> <run> | register <root> <model> <writer> <count> | active-run-exit <root> <points>");
    return 2;
}

var store = new FileTrackingStore(args[1]);
switch (args[0])
{
    case "active-run-crash":
        {
            var client = new MlflowClient(store);
            var run = await client.StartRunAsync(runName: "crashes");
            run.LogMetric("before-crash", 1);
            Console.WriteLine(run.RunId);
            Console.Out.Flush();
            throw new InvalidOperationException("the program failed");
        }

    case "active-run-exit-stuck":
    case "active-run-exit-failing":
        {
            var behaviour = args[0] == "active-run-exit-stuck" ? LogBatchBehaviour.NeverFinish : LogBatchBehaviour.FailWithToken;
            // Stuck: the hook must give up after 0.2 s. Failing: it must get to the failure, however slow the machine is.
            var timeout = behaviour == LogBatchBehaviour.NeverFinish ? TimeSpan.FromSeconds(0.2) : TimeSpan.FromMinutes(2);
            var options = new MlflowClientOptions { Logging = { ExitFlushTimeout = timeout } };
            var client = new MlflowClient(FaultyLogBatchStore.Wrap(store, behaviour), options);
            var run = await client.StartRunAsync(runName: "exit-with-faulty-store");
            run.LogMetric("queued", 1);
            Console.WriteLine(run.RunId);
            return 0;
        }

    case "active-run-exit":
        {
            var client = new MlflowClient(store);
            var run = await client.StartRunAsync(runName: "exits-without-ending");
            var points = int.Parse(args[2], CultureInfo.InvariantCulture);
            for (var step = 0; step < points; step++)
            {
                run.LogMetric("queued", step, step);
            }

            Console.WriteLine(run.RunId);
            return 0;
        }

    case "create-experiment":
        try
        {
            var id = await store.CreateExperimentAsync(args[2]);
            Console.WriteLine($"created {id}");
            return 0;
        }
        catch (MlflowException error) when (error.ErrorCode == ErrorCode.ResourceAlreadyExists)
        {
            Console.WriteLine("exists");
            return 3;
        }

    case "log":
        {
            var runId = args[2];
            var writer = int.Parse(args[3], CultureInfo.InvariantCulture);
            var batches = int.Parse(args[4], CultureInfo.InvariantCulture);
            var points = int.Parse(args[5], CultureInfo.InvariantCulture);
            for (var batch = 0; batch < batches; batch++)
            {
                var metrics = new List<Metric>(points * 2);
                for (var i = 0; i < points; i++)
                {
                    var step = (batch * points) + i;
                    metrics.Add(new Metric("shared", (writer * 1_000_000) + step, 1_700_000_000_000 + step, step));
                    metrics.Add(new Metric($"w{writer}", step, 1_700_000_000_000 + step, step));
                }

                var tags = new List<RunTag> { new($"writer/{writer}", batch.ToString(CultureInfo.InvariantCulture)) };
                var parameters = batch == 0 ? new List<Param> { new($"p{writer}", "v"), new("common", "same") } : [];
                await store.LogBatchAsync(runId, metrics, parameters, tags);
            }

            return 0;
        }

    case "log-forever":
        {
            var runId = args[2];
            for (var batch = 0L; ; batch++)
            {
                var metrics = Enumerable.Range(0, 500).Select(i => new Metric("loss", 1.0 / (i + 1), 1_700_000_000_000 + batch, (batch * 500) + i)).ToList();
                await store.LogBatchAsync(runId, metrics, [], [new RunTag("batch", batch.ToString(CultureInfo.InvariantCulture))]);
                await store.UpdateRunInfoAsync(runId, RunStatus.Running, null, $"name-{batch % 7}");
                if (batch == 0)
                {
                    Console.WriteLine("ready");
                    Console.Out.Flush();
                }
            }
        }

    case "register":
        {
            var registry = new FileModelRegistryStore(args[1]);
            var model = args[2];
            var writer = args[3];
            var count = int.Parse(args[4], CultureInfo.InvariantCulture);
            try
            {
                await registry.CreateRegisteredModelAsync(model);
            }
            catch (MlflowException error) when (error.ErrorCode == ErrorCode.ResourceAlreadyExists)
            {
                // another writer created it
            }

            for (var i = 0; i < count; i++)
            {
                var version = await registry.CreateModelVersionAsync(new CreateModelVersionRequest(model, $"file:///w{writer}/{i}"));
                Console.WriteLine(version.Version.ToString(CultureInfo.InvariantCulture));
            }

            return 0;
        }

    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        return 2;
}
