using System.Text;
using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class SearchPageTokenTests
{
    [TestCase(100, "eyJvZmZzZXQiOiAxMDB9")]
    [TestCase(0, "eyJvZmZzZXQiOiAwfQ==")]
    [TestCase(1000, "eyJvZmZzZXQiOiAxMDAwfQ==")]
    public void Tokens_are_base64_of_pythons_json(int offset, string token)
    {
        Assert.That(SearchPageToken.Encode(offset), Is.EqualTo(token));
        Assert.That(SearchPageToken.Decode(token), Is.EqualTo(offset));
    }

    [TestCase(1)]
    [TestCase(49_999)]
    [TestCase(int.MaxValue)]
    public void Offsets_round_trip(int offset) =>
        Assert.That(SearchPageToken.Decode(SearchPageToken.Encode(offset)), Is.EqualTo(offset));

    [TestCase(null)]
    [TestCase("")]
    public void No_token_is_the_first_page(string? token) =>
        Assert.That(SearchPageToken.Decode(token), Is.Zero);

    [Test]
    public void Compact_json_from_another_writer_is_read() =>
        Assert.That(SearchPageToken.Decode(Base64("{\"offset\":7,\"other\":true}")), Is.EqualTo(7));

    [TestCase("not base64!")]
    [TestCase("eyJvZmZzZXQiOiAxMDB")]
    public void A_token_that_is_not_base64_is_rejected(string token) => AssertInvalid(token);

    [TestCase("hello")]
    [TestCase("{\"offset\": -1}")]
    [TestCase("{\"offset\": \"5\"}")]
    [TestCase("{\"offset\": 1.5}")]
    [TestCase("{\"offset\": 99999999999}")]
    [TestCase("{\"start\": 5}")]
    [TestCase("[5]")]
    [TestCase("{\"offset\": 5")]
    public void A_token_without_an_offset_is_rejected(string json) => AssertInvalid(Base64(json));

    [Test]
    public void Pages_walk_the_whole_list_and_the_last_has_no_token()
    {
        var items = Enumerable.Range(0, 250).ToArray();
        var first = SearchPageToken.Page(items, 100, null);
        Assert.That(first.Items, Is.EqualTo(Enumerable.Range(0, 100)));
        Assert.That(first.NextPageToken, Is.EqualTo("eyJvZmZzZXQiOiAxMDB9"));
        var second = SearchPageToken.Page(items, 100, first.NextPageToken);
        Assert.That(second.Items, Is.EqualTo(Enumerable.Range(100, 100)));
        var third = SearchPageToken.Page(items, 100, second.NextPageToken);
        Assert.That(third.Items, Is.EqualTo(Enumerable.Range(200, 50)));
        Assert.That(third.NextPageToken, Is.Null);
    }

    [Test]
    public void A_page_that_ends_exactly_at_the_end_has_no_token()
    {
        var page = SearchPageToken.Page(new[] { 1, 2 }, 2, null);
        Assert.That(page.Items, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(page.NextPageToken, Is.Null);
    }

    [Test]
    public void An_offset_past_the_end_is_an_empty_last_page()
    {
        var page = SearchPageToken.Page(new[] { 1, 2 }, 10, SearchPageToken.Encode(5));
        Assert.That(page.Items, Is.Empty);
        Assert.That(page.NextPageToken, Is.Null);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(50_001)]
    public void Max_results_must_be_between_1_and_50000(int maxResults)
    {
        var error = Assert.Throws<MlflowException>(() => SearchPageToken.Page(new[] { 1 }, maxResults, null));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.Contain("max_results"));
    }

    [Test]
    public void Max_results_of_50000_is_accepted() =>
        Assert.That(SearchPageToken.Page(new[] { 1 }, 50_000, null).Items, Has.Count.EqualTo(1));

    [Test]
    public void Rows_read_one_past_the_page_are_trimmed_to_it_and_the_next_page_starts_after_it()
    {
        List<int> full = [1, 2, 3, 4];
        List<int> last = [1, 2, 3];

        var next = SearchPageToken.TrimToPage(full, offset: 6, maxResults: 3);
        var none = SearchPageToken.TrimToPage(last, offset: 6, maxResults: 3);

        Assert.That(full, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(SearchPageToken.Decode(next), Is.EqualTo(9));
        Assert.That(last, Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(none, Is.Null, "a page with nothing past it is the last");
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static void AssertInvalid(string token)
    {
        var error = Assert.Throws<MlflowException>(() => SearchPageToken.Decode(token));
        Assert.That(error.ErrorCode, Is.EqualTo(ErrorCode.InvalidParameterValue));
        Assert.That(error.Message, Does.StartWith("Invalid page token"));
    }
}
