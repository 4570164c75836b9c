using BenchmarkDotNet.Running;
using MlWorkflow.Benchmarks.Harness;
using MlWorkflow.Benchmarks.Reliability;

// Usage:
//   dotnet run -c Release --project benchmarks/MlWorkflow.Benchmarks -- <suite>     whole-workload figures as name=value lines
//   dotnet run -c Release --project benchmarks/MlWorkflow.Benchmarks -- automl --budget 10 --data diamonds   a suite with arguments
//   dotnet run -c Release --project benchmarks/MlWorkflow.Benchmarks -- micro ...   BenchmarkDotNet (e.g. --filter '*Search*')
// The reliability suite starts this executable again as a store writer or a server process, which it then kills.
if (await ChildProcessRoles.TryRunAsync(args) is { } childExit)
{
    return childExit;
}

if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
    return 0;
}

var suite = args.Length >= 1 ? SuiteCatalog.All.FirstOrDefault(s => s.Name == args[0]) : null;
if (suite is IConfigurableSuite configurable && configurable.Configure(args[1..]) is { } problem)
{
    Console.Error.WriteLine($"{suite.Name}: {problem}");
    return 2;
}

if (suite is null || (args.Length > 1 && suite is not IConfigurableSuite))
{
    Console.Error.WriteLine("Usage: dotnet run -c Release --project benchmarks/MlWorkflow.Benchmarks -- <suite> | micro [BenchmarkDotNet args]");
    Console.Error.WriteLine("Suites:");
    foreach (var s in SuiteCatalog.All)
    {
        Console.Error.WriteLine($"  {s.Name,-10} {s.Description}");
    }

    return args.Length == 0 ? 0 : 2;
}

var work = Path.Combine(Path.GetTempPath(), $"mlw-bench-{suite.Name}-{Guid.NewGuid():N}");
Directory.CreateDirectory(work);
try
{
    using var cancellation = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
    FigureReport.Note($"suite {suite.Name}: {suite.Description}");
    var report = new FigureReport { WorkDirectory = work };
    await suite.RunAsync(report, cancellation.Token);
    report.Print(Console.Out);
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}
