using System.Globalization;

namespace MlWorkflow.Server.Endpoints;

/// <summary>Short quotes of client input for error messages, so that a huge input never comes back whole (issue: echo of large input).</summary>
internal static class Excerpt
{
    /// <summary>The most characters of one input an error message quotes.</summary>
    public const int MaxQuoted = 200;

    /// <summary>The longest message sent as is; longer ones keep their start and end around a note of what was left out.</summary>
    public const int MaxMessage = 600;

    /// <summary>At most <see cref="MaxQuoted"/> characters of <paramref name="text"/>, with a note of how long it was when cut.</summary>
    public static string Of(string? text) =>
        text is null || text.Length <= MaxQuoted
            ? text ?? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"{text[..MaxQuoted]}… ({text.Length:N0} characters)");

    /// <summary>
    /// A message bounded to about <see cref="MaxMessage"/> characters: a longer one (a store's message quoting a huge input,
    /// perhaps twice) keeps its first and last 250 characters, which carry what was wrong and what to do.
    /// </summary>
    public static string Bound(string message)
    {
        if (message.Length <= MaxMessage)
        {
            return message;
        }

        const int Keep = 250;
        return string.Create(CultureInfo.InvariantCulture, $"{message[..Keep]} … ({message.Length - (2 * Keep):N0} characters left out) … {message[^Keep..]}");
    }
}
