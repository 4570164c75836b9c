using MlWorkflow.Tracking.Search;

namespace MlWorkflow.Tracking.Tests.Search;

public class SearchTokenizerTests
{
    [Test]
    public void A_clause_becomes_identifier_operator_value_end()
    {
        var tokens = SearchTokenizer.Tokenize("metrics.`f1 score` >= -1.5e3", SearchTextKind.Filter);
        Assert.That(tokens.Select(t => t.Kind), Is.EqualTo(new[]
        {
            SearchTokenKind.Identifier, SearchTokenKind.Operator, SearchTokenKind.Number, SearchTokenKind.End,
        }));
        Assert.That((tokens[0].Entity, tokens[0].Text, tokens[0].IsQuoted, tokens[0].Position, tokens[0].Length), Is.EqualTo(("metrics", "f1 score", true, 0, 18)));
        Assert.That((tokens[1].Text, tokens[1].Position), Is.EqualTo((">=", 19)));
        Assert.That((tokens[2].Number, tokens[2].Position, tokens[2].Length), Is.EqualTo((-1500.0, 22, 6)));
        Assert.That(tokens[3].Position, Is.EqualTo(28));
    }

    [TestCase("tags.mlflow.runName", "tags", "mlflow.runName", false)]
    [TestCase("run_name", null, "run_name", false)]
    [TestCase("`run name`", null, "run name", true)]
    [TestCase("`tags`.`a.b`", "tags", "a.b", true)]
    [TestCase("tags.\"a b\"", "tags", "a b", true)]
    [TestCase("params.p_1.x", "params", "p_1.x", false)]
    [TestCase("métricas.ñ", "métricas", "ñ", false)]
    [TestCase("`a``b`", null, "a`b", true)]
    public void Identifiers_split_at_the_first_dot(string text, string? entity, string key, bool quoted)
    {
        var token = SearchTokenizer.Tokenize(text, SearchTextKind.Filter)[0];
        Assert.That((token.Kind, token.Entity, token.Text, token.IsQuoted, token.Length), Is.EqualTo((SearchTokenKind.Identifier, entity, key, quoted, text.Length)));
    }

    [Test]
    public void Punctuation_strings_and_keywords_are_tokens()
    {
        var tokens = SearchTokenizer.Tokenize("run_id NOT IN ('a', \"b\");", SearchTextKind.Filter);
        Assert.That(tokens.Select(t => t.Kind), Is.EqualTo(new[]
        {
            SearchTokenKind.Identifier, SearchTokenKind.Identifier, SearchTokenKind.Identifier, SearchTokenKind.LeftParenthesis,
            SearchTokenKind.SingleQuotedString, SearchTokenKind.Comma, SearchTokenKind.DoubleQuotedString,
            SearchTokenKind.RightParenthesis, SearchTokenKind.Semicolon, SearchTokenKind.End,
        }));
        Assert.That(tokens[1].IsKeyword("not"), Is.True);
        Assert.That(tokens[2].IsKeyword("In"), Is.True);
        Assert.That(tokens[0].IsKeyword("run_id"), Is.True);
        Assert.That(tokens[4].Text, Is.EqualTo("a"));
        Assert.That(tokens[6].Text, Is.EqualTo("b"));
    }

    [Test]
    public void A_quoted_identifier_is_never_a_keyword()
    {
        var tokens = SearchTokenizer.Tokenize("`AND` tags.AND", SearchTextKind.Filter);
        Assert.That(tokens[0].IsKeyword("AND"), Is.False);
        Assert.That(tokens[1].IsKeyword("AND"), Is.False);
    }

    [Test]
    public void Order_by_errors_name_the_order_by_clause()
    {
        var error = Assert.Throws<MlflowException>(() => SearchTokenizer.Tokenize("metrics.a $", SearchTextKind.OrderBy));
        Assert.That(error.Message, Does.StartWith("Invalid order_by clause \"metrics.a $\": unexpected character"));
        Assert.That(error.Message, Does.EndWith("(at position 10: '$')."));
    }
}
