namespace MlWorkflow.Tests.Workflow;

/// <summary>
/// Rows of the real data sets under TestData/datasets written to a file of their own, as a user's later or separate file
/// would be: a file without gaps in a column reads it as whole numbers, one with gaps as Double.
/// </summary>
internal static class RealCsvSubsets
{
    /// <summary>Writes the header and the rows <paramref name="keep"/> accepts (fields split on commas: these files quote no comma).</summary>
    public static string Write(string dataset, string path, Func<Dictionary<string, string>, bool> keep)
    {
        var lines = File.ReadAllLines(TestDatasets.PathOf(dataset));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var kept = lines.Skip(1).Where(line =>
        {
            var fields = line.Split(',');
            return keep(header.Select((name, i) => (name, value: fields[i].Trim('"'))).ToDictionary(p => p.name, p => p.value));
        });
        File.WriteAllLines(path, [lines[0], .. kept]);
        return path;
    }

    /// <summary>Whether no field of the row is empty (missing).</summary>
    public static bool Complete(Dictionary<string, string> row) => row.Values.All(v => v.Length > 0);

    /// <summary>Whether a penguins row has all four measurements (all rows but two, which have none at all).</summary>
    public static bool Measured(Dictionary<string, string> row) =>
        new[] { "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g" }.All(c => row[c].Length > 0);

    /// <summary>The row's field as a number.</summary>
    public static double Number(Dictionary<string, string> row, string column) =>
        double.Parse(row[column], System.Globalization.CultureInfo.InvariantCulture);
}
