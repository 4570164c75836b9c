using System.Globalization;
using System.Text;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>The file store's whole-history read as columns (<see cref="IMetricPointStore"/>) gives exactly the points the paged history gives.</summary>
public class MetricPointsTests : TempStoreFixture
{
    /// <summary>Lines of every kind the reader meets: MLflow's forms, Python's and .NET's spellings, and damage.</summary>
    private static readonly string[] Lines =
    [
        "1700000000000 0.25 7", "1700000000001 0.25", "1700000000002 1.0 7 ds digest", "1 -0.0 -3", "-5 5e-324 9223372036854775807", "-9223372036854775808 1 -999999999999999999", "007 0.5 -0", "1 0.5 -9223372036854775809",
        "2 1.7976931348623157e+308 0", "3 nan 1", "3 NaN 1", "3 -nan 1", "4 inf 2", "4 -inf 2", "4 Infinity 2", "4 -Infinity 2", "4 +INF 2",
        "4 infinity 2", "4 INFINITY 2", "5 1E-07 3", "5 .5 3", "5 5. 3", "5 +0.5 3", "5 1e400 3", "5 -1e400 3", "5 1e-400 3", "6 0.1000000000000000055511151231257827 4",
        "1700000000001  0.5 8", "1700000000001 0.5 8.5", "1700000000001 0.5 8 9", "17000x0000001 0.5 8", "1700000000001 zero 8",
        " 1700000000001 0.5 8", "1700000000001 0.5 8 ", "1 0.5 2 ds", "1 0.5 2 ds digest extra", "1 0.5 2 ds  digest", "1 0.5 2  digest",
        "+1 0.5 2", "1 0.5 +2", "1 0.5 -", "- 0.5 1", "99999999999999999999 0.5 1", "1 0.5 9223372036854775808", "1 0x10 2", "1 1_000 2",
        "1 0,5 2", "1 0.5\t2", "1\t0.5 2", "1 ∞ 2", "1 0.5 2 dé digest", "1 nanx 2", "1 in 2", "1 e5 2", "1 1e 2", "1 1e+ 2", "1", "1 ", "",
    ];

    [Test]
    public void Each_line_parses_from_bytes_exactly_as_the_file_reader_did_through_text()
    {
        foreach (var line in Lines)
        {
            // The reader's rule before it parsed bytes directly: printable ASCII only, then the text parser.
            var fromText = MetricFileReader.TryParse(line.AsSpan(), out var textPoint) && line.All(c => c is >= ' ' and < '\x7F');
            var fromBytes = MetricFileReader.TryParse(Encoding.UTF8.GetBytes(line).AsSpan(), out var bytePoint);

            Assert.That(fromBytes, Is.EqualTo(fromText), line);
            if (!fromText)
            {
                continue;
            }

            Assert.That(BitConverter.DoubleToInt64Bits(bytePoint.Value), Is.EqualTo(BitConverter.DoubleToInt64Bits(textPoint.Value)), line);
            Assert.That((bytePoint.Timestamp, bytePoint.Step), Is.EqualTo((textPoint.Timestamp, textPoint.Step)), line);
        }

        Assert.That(Lines.Count(line => MetricFileReader.TryParse(Encoding.UTF8.GetBytes(line).AsSpan(), out _)), Is.EqualTo(26), "both valid and damaged lines are covered");
    }

    [Test]
    public async Task A_long_file_with_torn_and_invalid_lines_reads_the_same_points_as_the_paged_history()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var path = Path.Combine(Root, "0", run.RunId, "metrics", "loss");
        var random = new Random(15);
        var text = new StringBuilder();
        var notPoints = 0;
        for (var i = 0; i < 200_000; i++)
        {
            // Mostly MLflow's lines (steps out of order now and then), every so often one of the lines above, valid or not.
            var odd = Lines[random.Next(Lines.Length)];
            notPoints += i % 97 == 0 && !(MetricFileReader.TryParse(odd.AsSpan(), out _) && odd.All(c => c is >= ' ' and < '\x7F')) ? 1 : 0;
            text.Append(i % 97 == 0
                ? odd
                : string.Create(CultureInfo.InvariantCulture, $"{1_700_000_000_000 + i} {MetricFileFormat.FormatValue(random.NextDouble() * Math.Pow(10, random.Next(-8, 20)))} {(i % 1000 == 0 ? random.Next(1000) : i)}"));
            text.Append(i % 5000 == 0 ? "\r\n" : "\n");
        }

        text.Append("1700000999999 0.5"); // a torn last line: never a point
        await System.IO.File.WriteAllTextAsync(path, text.ToString());

        var points = await store.GetMetricPointsAsync(run.RunId, "loss");
        var paged = new List<Metric>();
        string? token = null;
        do
        {
            var page = await store.GetMetricHistoryAsync(run.RunId, "loss", 7_777, token);
            paged.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.That(points.Count, Is.EqualTo(paged.Count));
        Assert.That(paged.Count, Is.EqualTo(200_000 - notPoints), "the damaged and empty lines are skipped");
        Assert.That(notPoints, Is.GreaterThan(1000));
        Assert.That(points.Steps.ToArray(), Is.EqualTo(paged.Select(m => m.Step).ToArray()));
        Assert.That(points.Timestamps.ToArray(), Is.EqualTo(paged.Select(m => m.Timestamp).ToArray()));
        Assert.That(points.Values.ToArray().Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(paged.Select(m => BitConverter.DoubleToInt64Bits(m.Value))));
        Assert.That(paged.Any(m => double.IsNaN(m.Value)) && paged.Any(m => double.IsPositiveInfinity(m.Value)), Is.True, "Python's spellings are read");
    }

    [Test]
    public async Task A_metric_never_logged_has_no_points_and_a_bad_run_is_an_error()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;

        Assert.That((await store.GetMetricPointsAsync(run.RunId, "nothing")).Count, Is.Zero);
        var error = await Assert.ThrowsAsync<MlflowException>(() => store.GetMetricPointsAsync("0123456789abcdef0123456789abcdef", "loss"));
        Assert.That(error!.ErrorCode, Is.EqualTo(ErrorCode.ResourceDoesNotExist));
    }
}
