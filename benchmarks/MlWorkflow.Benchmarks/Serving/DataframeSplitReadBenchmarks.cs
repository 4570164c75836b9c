using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.Data;
using MlWorkflow.Serving.Protocol;
using MlWorkflow.Serving.Scoring;

namespace MlWorkflow.Benchmarks.Serving;

/// <summary>
/// Reading one 100-row <c>dataframe_split</c> body of diamonds-like rows (6 numbers, 3 strings a row) into the model's
/// typed columns: the one-pass reader against the general reader (a JSON document, cells, then conversion).
/// </summary>
[MemoryDiagnoser]
public class DataframeSplitReadBenchmarks
{
    private byte[] _body = [];
    private InputColumn[] _inputs = [];
    private string[] _names = [];

    [GlobalSetup]
    public void Setup()
    {
        _inputs = new[] { "carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z" }
            .Select(n => new InputColumn(n, n is "cut" or "color" or "clarity" ? TextDataViewType.Instance : NumberDataViewType.Single)).ToArray();
        _names = _inputs.Select(c => c.Name).ToArray();
        var random = new Random(1);
        var text = new StringBuilder("""{"dataframe_split": {"columns": ["carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z"], "data": [""");
        string[] cuts = ["Ideal", "Premium", "Good", "Very Good", "Fair"];
        for (var i = 0; i < 100; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"""[{Math.Round(random.NextDouble() * 3, 2)}, "{cuts[random.Next(5)]}", "E", "SI2", {Math.Round(55 + (random.NextDouble() * 10), 1)}, {random.Next(50, 70)}, {Math.Round(random.NextDouble() * 9, 2)}, {Math.Round(random.NextDouble() * 9, 2)}, {Math.Round(random.NextDouble() * 5, 2)}]""");
        }

        _body = Encoding.UTF8.GetBytes(text.Append("]}}").ToString());
    }

    [Benchmark(Baseline = true)]
    public int General()
    {
        using var request = JsonRequestParser.Parse(_body, _names, "");
        return _inputs.Select(c => c.Convert(request.Table.Column(c.Name)!)).Sum(a => a.Length);
    }

    [Benchmark]
    public int OnePass() => DataframeSplitReader.TryRead(_body, _inputs, out var rows)!.Length + rows;
}
