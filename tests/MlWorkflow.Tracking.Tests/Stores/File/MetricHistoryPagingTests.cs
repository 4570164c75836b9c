using System.Text;
using MlWorkflow.Tracking;
using MlWorkflow.Tracking.Stores.File;

namespace MlWorkflow.Tracking.Tests.Stores.File;

/// <summary>
/// Issue 10.4, "a history page must cost what the page costs": a next-page token carries the byte position where the
/// next page starts, so a later page reads from there instead of reading every earlier line again.
/// </summary>
public class MetricHistoryPagingTests : TempStoreFixture
{
    private const long T0 = 1_700_000_000_000;

    [Test]
    public async Task A_later_page_starts_where_the_previous_page_ended()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        await store.LogBatchAsync(run.RunId, Enumerable.Range(0, 1_000).Select(i => new Metric("loss", i, T0 + i, i)).ToList(), [], []);
        var first = await store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 100);

        // Damage the lines of the first page in place (same length). A reader that reads the file from its start again
        // skips them, counts the points differently, and returns another page; one that seeks to the token's position
        // never reads them.
        var path = Path.Combine(Root, "0", run.RunId, "metrics", "loss");
        var bytes = await System.IO.File.ReadAllBytesAsync(path);
        var firstPageEnd = Encoding.ASCII.GetString(bytes).Split('\n').Take(100).Sum(line => line.Length + 1);
        for (var i = 0; i < firstPageEnd; i++)
        {
            bytes[i] = bytes[i] == (byte)'\n' ? (byte)'\n' : (byte)'x';
        }

        await System.IO.File.WriteAllBytesAsync(path, bytes);
        var second = await store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 100, pageToken: first.NextPageToken);

        Assert.That(first.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (long)i)));
        Assert.That(second.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(100, 100).Select(i => (long)i)));
    }

    [Test]
    public async Task Every_page_read_through_tokens_gives_the_whole_history_once()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        await store.LogBatchAsync(run.RunId, Enumerable.Range(0, 1_000).Select(i => new Metric("loss", i * 0.5, T0 + i, i)).ToList(), [], []);

        var steps = new List<long>();
        string? token = null;
        do
        {
            var page = await store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 37, pageToken: token);
            steps.AddRange(page.Items.Select(m => m.Step));
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.That(steps, Is.EqualTo(Enumerable.Range(0, 1_000).Select(i => (long)i)));
    }

    [Test]
    public async Task A_token_whose_position_no_longer_fits_the_file_falls_back_to_counting_points()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        await store.LogBatchAsync(run.RunId, Enumerable.Range(0, 300).Select(i => new Metric("loss", i, T0 + i, i)).ToList(), [], []);

        // MLflow's own form ({"offset": N}, no position), and positions that are not a line start or lie past the end.
        string[] tokens =
        [
            Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"offset\": 100}")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"offset\": 100, \"position\": 7}")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"offset\": 100, \"position\": 999999999}")),
        ];
        foreach (var token in tokens)
        {
            var page = await store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 100, pageToken: token);
            Assert.That(page.Items.Select(m => m.Step), Is.EqualTo(Enumerable.Range(100, 100).Select(i => (long)i)), token);
        }
    }

    [Test]
    public async Task A_huge_page_token_is_refused_without_being_echoed()
    {
        var store = OpenStore();
        var run = (await store.CreateRunAsync(new CreateRunRequest())).Info;
        var token = new string('A', 5_000_000);

        var error = (await Assert.ThrowsAsync<MlflowException>(() => store.GetMetricHistoryAsync(run.RunId, "loss", maxResults: 10, pageToken: token)))!;

        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Has.Length.LessThan(400));
    }
}
