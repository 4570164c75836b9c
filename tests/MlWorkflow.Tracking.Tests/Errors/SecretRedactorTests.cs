namespace MlWorkflow.Tracking.Tests.Errors;

/// <summary>Credentials never leave the library in text (issue 10.10).</summary>
public class SecretRedactorTests
{
    [TestCase("upstream said: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGci")]
    [TestCase("{\"headers\": {\"authorization\": \"Basic Ym9iOnB3\", \"host\": \"x\"}}", "Ym9iOnB3")]
    [TestCase("token Bearer s3cr3t-token-value in a log", "s3cr3t")]
    [TestCase("Basic Ym9iOnB3 reflected", "Ym9iOnB3")]
    [TestCase("could not reach http://bob:hunter22@host:5000/api", "hunter22")]
    [TestCase("Proxy-Authorization=Basic abc; Cookie: session=123", "session=123")]
    public void Credentials_are_masked(string text, string secret)
    {
        var redacted = SecretRedactor.Redact(text);
        Assert.That(redacted, Does.Not.Contain(secret).And.Contain("***"));
    }

    [Test]
    public void Known_secrets_are_masked_wherever_they_appear()
    {
        Assert.That(SecretRedactor.Redact("echo: my-raw-token-123", ["my-raw-token-123"]), Is.EqualTo("echo: ***"));
    }

    [TestCase("Basic authentication failed for user bob")]
    [TestCase("RESOURCE_DOES_NOT_EXIST: Run 'abc' not found")]
    [TestCase("http://127.0.0.1:5000/api/2.0/mlflow/runs/get")]
    public void Ordinary_text_is_left_alone(string text) => Assert.That(SecretRedactor.Redact(text), Is.EqualTo(text));

    [Test]
    public void MlflowException_messages_are_redacted()
    {
        var error = new MlflowException(ErrorCode.InternalError, "proxy echoed Authorization: Bearer abcdef123456");
        Assert.That(error.Message, Does.Not.Contain("abcdef123456"));
        Assert.That(error.ToString(), Does.Not.Contain("abcdef123456"));
    }

    [Test]
    public void Redacting_is_idempotent_and_copes_with_large_adversarial_text()
    {
        var once = SecretRedactor.Redact("see http://bob:pw@host and Authorization: Bearer abc123def");
        Assert.That(SecretRedactor.Redact(once), Is.EqualTo(once));

        // Many scheme-like words with no "://": a backtracking pattern would be quadratic here (this one is linear).
        var hostile = string.Concat(Enumerable.Repeat("a.b-c+", 200_000)) + "://x:y@z";
        Assert.That(SecretRedactor.Redact(hostile), Does.EndWith("://x:***@z"));
    }
}
