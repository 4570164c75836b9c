using System.Diagnostics;
using System.Globalization;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Tracking.Tests.Registry;

/// <summary>Several processes and threads registering versions of one model: distinct, consecutive numbers, none lost.</summary>
public class RegistryConcurrencyTests : RegistryTestFixture
{
    private static string WriterPath => Path.Combine(TestContext.CurrentContext.TestDirectory, "MlWorkflow.Tracking.Tests.StoreWriter.dll");

    [Test]
    public async Task Processes_registering_versions_of_one_model_get_distinct_consecutive_numbers()
    {
        const int writers = 4;
        const int perWriter = 10;
        var processes = Enumerable.Range(0, writers).Select(w =>
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "exec", WriterPath, "register", Root, "contested", w.ToString(CultureInfo.InvariantCulture), perWriter.ToString(CultureInfo.InvariantCulture) })
            {
                start.ArgumentList.Add(argument);
            }

            return Process.Start(start) ?? throw new InvalidOperationException("Could not start the store writer.");
        }).ToList();

        var printed = new List<int>();
        foreach (var process in processes)
        {
            using (process)
            {
                var output = await process.StandardOutput.ReadToEndAsync();
                var error = await process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await process.WaitForExitAsync(timeout.Token);
                Assert.That(process.ExitCode, Is.Zero, output + error);
                printed.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => int.Parse(line, CultureInfo.InvariantCulture)));
            }
        }

        var expected = Enumerable.Range(1, writers * perWriter).ToArray();
        Assert.That(printed.Order(), Is.EqualTo(expected), "every writer got its own numbers, 1 to N with no gap");
        var versions = (await OpenRegistry().SearchModelVersionsAsync(new SearchModelVersionsRequest { Filter = "name = 'contested'" })).Items;
        Assert.That(versions.Select(v => v.Version).Order(), Is.EqualTo(expected));
        Assert.That(versions.Select(v => v.Source).Distinct().Count(), Is.EqualTo(writers * perWriter), "no version overwrote another");
        Assert.That(Directory.GetFiles(Path.Combine(Root, "models", "contested"), ".tmp-*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Threads_sharing_or_not_sharing_a_store_object_lose_no_version()
    {
        var shared = OpenRegistry();
        await shared.CreateRegisteredModelAsync("m");
        var tasks = Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            (i % 2 == 0 ? shared : OpenRegistry()).CreateModelVersionAsync(new CreateModelVersionRequest("m", $"file:///t/{i}")))).ToArray();
        var created = await Task.WhenAll(tasks);
        Assert.That(created.Select(v => v.Version).Order(), Is.EqualTo(Enumerable.Range(1, 24)));
    }
}
