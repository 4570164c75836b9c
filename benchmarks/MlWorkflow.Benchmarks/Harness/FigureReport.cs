using System.Globalization;

namespace MlWorkflow.Benchmarks.Harness;

/// <summary>Collects a suite's figures and prints them as <c>name=value</c> lines a script can read.</summary>
internal sealed class FigureReport
{
    private readonly List<KeyValuePair<string, double>> _figures = [];

    /// <summary>The figures recorded so far, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Figures => _figures;

    /// <summary>A scratch folder for the suite, deleted when the run ends.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Records a figure (lower_snake_case name, plain number) and echoes it as progress.</summary>
    public void Add(string name, double value)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            throw new ArgumentException($"Figure name '{name}' must be lower_snake_case.", nameof(name));
        }

        _figures.Add(new(name, value));
        Console.Error.WriteLine($"  {name} = {Format(value)}");
    }

    /// <summary>Prints a progress note on standard error, so that standard output holds only figures.</summary>
    public static void Note(string text) => Console.Error.WriteLine(text);

    /// <summary>Writes every figure as <c>name=value</c>, one per line, on standard output.</summary>
    public void Print(TextWriter writer)
    {
        foreach (var (name, value) in _figures)
        {
            writer.WriteLine($"{name}={Format(value)}");
        }
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 100 ? Math.Round(value).ToString(CultureInfo.InvariantCulture)
        : Math.Round(value, 4).ToString(CultureInfo.InvariantCulture);
}
