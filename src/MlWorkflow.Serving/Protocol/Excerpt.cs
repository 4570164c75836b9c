using System.Globalization;

namespace MlWorkflow.Serving.Protocol;

/// <summary>Short quotes of client input for error messages, so that a large input never comes back whole.</summary>
internal static class Excerpt
{
    /// <summary>The most characters of one input an error message quotes.</summary>
    public const int MaxQuoted = 200;

    /// <summary>At most <see cref="MaxQuoted"/> characters of <paramref name="text"/>, with a note of how long it was when cut.</summary>
    public static string Of(string? text) =>
        text is null || text.Length <= MaxQuoted
            ? text ?? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"{text[..MaxQuoted]}… ({text.Length:N0} characters)");

    /// <summary>At most <paramref name="max"/> characters of <paramref name="text"/>, for a value quoted inside a longer message.</summary>
    public static string Short(string text, int max = 40) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");

    /// <summary>Column names as MLflow lists them, <c>['a', 'b']</c>, with at most 20 names.</summary>
    public static string Names(IEnumerable<string> names)
    {
        var all = names.ToList();
        var shown = all.Take(20).Select(n => $"'{Short(n)}'");
        var more = all.Count > 20 ? string.Create(CultureInfo.InvariantCulture, $", … ({all.Count - 20} more)") : string.Empty;
        return $"[{string.Join(", ", shown)}{more}]";
    }
}
