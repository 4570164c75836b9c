using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MlWorkflow.Cli.Output;

/// <summary>Tables for people, JSON for scripts, progress on stderr.</summary>
internal static class ConsoleOutput
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Json(JsonNode? node) => Console.Out.WriteLine(node is null ? "null" : node.ToJsonString(JsonOptions));

    public static void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        Console.Out.WriteLine(Line(headers));
        Console.Out.WriteLine(Line(widths.Select(w => new string('-', w)).ToList()));
        foreach (var row in all)
        {
            Console.Out.WriteLine(Line(row));
        }
    }

    public static string Time(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    public static string Size(long? bytes) => bytes switch
    {
        null => "",
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
    };

    /// <summary>One progress line per item on stderr, so stdout stays clean for scripts.</summary>
    public static void Progress(int done, int total, string what) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{done}/{total}] {what}"));
}
