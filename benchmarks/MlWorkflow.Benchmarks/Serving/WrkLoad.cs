using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using MlWorkflow.Benchmarks.Harness;

namespace MlWorkflow.Benchmarks.Serving;

/// <summary>
/// Load from <c>wrk</c> (Debian's package, installed with apt-get when missing, as issue 13 allows): one wrk thread,
/// 32 connections, POSTing the bodies in turn. A C load generator steals far less of the two cores than a .NET client.
/// </summary>
internal static partial class WrkLoad
{
    private const string Script = """
        local bodies = {}
        local next = 0
        init = function(args)
          for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
        end
        request = function()
          next = next % #bodies + 1
          return wrk.format("POST", "/invocations", { ["Content-Type"] = "application/json" }, bodies[next])
        end
        """;

    /// <summary>The path of wrk, installing it when missing; null (with a note) when it cannot be had.</summary>
    public static async Task<string?> FindOrInstallAsync(CancellationToken cancellationToken)
    {
        if (Which() is { } found)
        {
            return found;
        }

        FigureReport.Note("  wrk missing: apt-get install -y wrk");
        using (var install = Process.Start(new ProcessStartInfo("apt-get", ["install", "-y", "-q", "wrk"]) { RedirectStandardOutput = true, RedirectStandardError = true })!)
        {
            await install.StandardOutput.ReadToEndAsync(cancellationToken);
            await install.WaitForExitAsync(cancellationToken);
        }

        var path = Which();
        if (path is null)
        {
            FigureReport.Note("  wrk could not be installed; its figures are left out");
        }

        return path;
    }

    /// <summary>Runs wrk for <paramref name="seconds"/> against <paramref name="server"/>'s <c>/invocations</c> with the bodies (one per line).</summary>
    public static async Task<WrkResult> RunAsync(string wrk, Uri server, byte[][] bodies, string workDirectory, int seconds, CancellationToken cancellationToken)
    {
        var script = Path.Combine(workDirectory, "invocations.lua");
        var lines = Path.Combine(workDirectory, $"bodies-{bodies.Length}-{bodies[0].Length}.txt");
        await File.WriteAllTextAsync(script, Script, cancellationToken);
        await File.WriteAllLinesAsync(lines, bodies.Select(b => System.Text.Encoding.UTF8.GetString(b)), cancellationToken);
        var start = new ProcessStartInfo(wrk, ["-t1", "-c32", $"-d{seconds}s", "--latency", "-s", script, server.GetLeftPart(UriPartial.Authority), "--", lines])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = Millis(Percentile99().Match(output));
        var p50 = Millis(Percentile50().Match(output));
        var non2xx = NonSuccess().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output) is { Success: true } e ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0;
        return new WrkResult(rps, p50, p99, non2xx + errors);
    }

    private static double Millis(Match match)
    {
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    private static string? Which() =>
        new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists);

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"^\s+99%\s+([0-9.]+)(us|ms|s)", RegexOptions.Multiline)]
    private static partial Regex Percentile99();

    [GeneratedRegex(@"^\s+50%\s+([0-9.]+)(us|ms|s)", RegexOptions.Multiline)]
    private static partial Regex Percentile50();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}

/// <summary>What one wrk run measured.</summary>
internal sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Failures);
