using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class LikePatternTests
{
    [TestCase("abc", "abc", true)]
    [TestCase("abc", "abcd", false)]
    [TestCase("abc", "xabc", false)]
    [TestCase("abc", "ABC", false)]
    [TestCase("", "", true)]
    [TestCase("", "a", false)]
    [TestCase("%", "", true)]
    [TestCase("%", "anything at all", true)]
    [TestCase("%%", "", true)]
    [TestCase("a%", "a", true)]
    [TestCase("a%", "abc", true)]
    [TestCase("a%", "ba", false)]
    [TestCase("%a", "ba", true)]
    [TestCase("%a", "ab", false)]
    [TestCase("%b%", "abc", true)]
    [TestCase("%b%", "ac", false)]
    [TestCase("a%a", "a", false)]
    [TestCase("a%a", "aa", true)]
    [TestCase("a%b%c", "aXbYc", true)]
    [TestCase("a%b%c", "acb", false)]
    [TestCase("a%bc%bc", "abcbc", true)]
    [TestCase("a%bc%bc", "abcbXbc", true)]
    [TestCase("%ab%ab%", "xabyab", true)]
    [TestCase("%ab%ab%", "xaby", false)]
    [TestCase("_", "a", true)]
    [TestCase("_", "", false)]
    [TestCase("_", "ab", false)]
    [TestCase("a_c", "abc", true)]
    [TestCase("a_c", "ac", false)]
    [TestCase("%_", "", false)]
    [TestCase("%_", "x", true)]
    [TestCase("_%_", "x", false)]
    [TestCase("_%_", "xy", true)]
    [TestCase("%a_c%", "zzabcz", true)]
    [TestCase("%a_c%", "zzacz", false)]
    [TestCase("a.b", "a.b", true)]
    [TestCase("a.b", "axb", false)]
    [TestCase("sweep-[1]", "sweep-[1]", true)]
    [TestCase("sweep-[1]", "sweep-1", false)]
    [TestCase("x*", "xxx", false)]
    [TestCase("%line%", "first\nline\nlast", true)]
    public void Like_is_case_sensitive_anchored_with_percent_and_underscore(string pattern, string text, bool expected) =>
        Assert.That(new LikePattern(pattern, ignoreCase: false).IsMatch(text), Is.EqualTo(expected));

    [TestCase("abc", "ABC", true)]
    [TestCase("ABC", "abc", true)]
    [TestCase("Sweep-%", "SWEEP-7", true)]
    [TestCase("%BASE%", "my-baseline", true)]
    [TestCase("ä_", "ÄB", true)]
    [TestCase("a_c", "A", false)]
    [TestCase("abc", "abd", false)]
    public void Ilike_ignores_case(string pattern, string text, bool expected) =>
        Assert.That(new LikePattern(pattern, ignoreCase: true).IsMatch(text), Is.EqualTo(expected));
}
