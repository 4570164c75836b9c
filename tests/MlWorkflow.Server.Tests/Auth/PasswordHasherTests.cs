using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>Password hashes in Werkzeug's PBKDF2 format, so that MLflow's auth app and this server read each other's <c>users</c> table.</summary>
[TestFixture]
public sealed class PasswordHasherTests
{
    /// <summary>Written by Werkzeug's <c>generate_password_hash('pässword', method='pbkdf2:sha256')</c> (Werkzeug 3, 1,000,000 iterations).</summary>
    private const string WerkzeugHash = "pbkdf2:sha256:1000000$BFHzAT1ucRfDia9V$7a507fc2ea32b5a102b7f7fbfa2ebc45b6020996861f8ade550731e35c9701ea";

    [Test]
    public void A_hash_written_by_werkzeug_verifies_and_a_wrong_password_does_not()
    {
        Assert.That(PasswordHasher.Verify("pässword", WerkzeugHash), Is.True);
        Assert.That(PasswordHasher.Verify("passw0rd", WerkzeugHash), Is.False);
    }

    [Test]
    public void Ours_is_pbkdf2_sha256_with_a_fresh_salt_each_time()
    {
        var first = PasswordHasher.Hash("secret", 1000);
        var second = PasswordHasher.Hash("secret", 1000);

        Assert.That(first, Does.Match(@"^pbkdf2:sha256:1000\$[A-Za-z0-9]{16}\$[0-9a-f]{64}$"));
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(PasswordHasher.Verify("secret", first) && PasswordHasher.Verify("secret", second), Is.True);
    }

    [TestCase("")]
    [TestCase("plain-text-password")]
    [TestCase("scrypt:32768:8:1$salt$abcdef")]
    [TestCase("pbkdf2:md5:1000$salt$abcdef")]
    [TestCase("pbkdf2:sha256:x$salt$abcdef")]
    [TestCase("pbkdf2:sha256:1000$salt$not-hex")]
    [TestCase("pbkdf2:sha256:1000$salt$")]
    public void A_hash_it_cannot_check_never_matches(string stored)
    {
        Assert.That(PasswordHasher.Verify("plain-text-password", stored), Is.False);
    }
}
