using System.Collections;
using System.Globalization;
using System.Text;
using MlWorkflow.Tracking.Serialization;

namespace MlWorkflow.Tracking;

/// <summary>
/// Formats param values as text, the same way every time (invariant culture, round-trip doubles); sequences and
/// dictionaries as Python's <c>str</c> writes lists and dicts (<c>[1, 2, 3]</c>, <c>['a', 'b']</c>, <c>{'k': 1.5}</c>), which is
/// what MLflow stores for a Python list param.
/// </summary>
internal static class ValueText
{
    public static string Format(object? value) => value switch
    {
        null => "None",
        string text => text,
        bool flag => flag ? "True" : "False",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        Enum choice => choice.ToString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        IDictionary or IEnumerable => Repr(value),
        _ => value.ToString() ?? string.Empty,
    };

    // Inside a list Python shows each item's repr: strings quoted, floats as 1.0, None, True.
    private static string Repr(object? value) => value switch
    {
        null => "None",
        string text => PythonRepr.String(text),
        bool flag => flag ? "True" : "False",
        double number => PythonRepr.Float(number),
        float number => PythonRepr.Float(number),
        IDictionary dictionary => Join('{', '}', Entries(dictionary).Select(e => Repr(e.Key) + ": " + Repr(e.Value))),
        IEnumerable sequence and not string => Join('[', ']', sequence.Cast<object?>().Select(Repr)),
        IFormattable and not (DateTime or DateTimeOffset or Enum) => Format(value),
        _ => PythonRepr.String(Format(value)),
    };

    // A generic dictionary enumerates KeyValuePairs through IEnumerable; IDictionary's own enumerator gives DictionaryEntry.
    internal static IEnumerable<DictionaryEntry> Entries(IDictionary dictionary)
    {
        var entries = dictionary.GetEnumerator();
        while (entries.MoveNext())
        {
            yield return entries.Entry;
        }
    }

    private static string Join(char open, char close, IEnumerable<string> items) =>
        new StringBuilder().Append(open).AppendJoin(", ", items).Append(close).ToString();
}
