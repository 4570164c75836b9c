using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>Password hashes in Werkzeug's PBKDF2 and scrypt formats, so that MLflow's auth app and this server read each other's <c>users</c> table.</summary>
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

    /// <summary>Werkzeug 3's default method (and so MLflow's auth app on a current install): <c>hashlib.scrypt(password, salt=salt, n=32768, r=8, p=1)</c>, a 64-byte key.</summary>
    private const string WerkzeugScryptHash = "scrypt:32768:8:1$Qm3bXzT1kR9aPl0w$7da789f3b2829d21ac9fb6ca01b31b281428db69855238c3964ed3b547cfbbe1fd21dfa238d549a9b539ba96269d6b6903c245948f5c4ffc98f51ff667cdf2f9";

    [Test]
    public void A_werkzeug_3_scrypt_hash_verifies_and_a_wrong_password_does_not()
    {
        Assert.That(PasswordHasher.Verify("s3cret-\u00fcn\u00ef", WerkzeugScryptHash), Is.True);
        Assert.That(PasswordHasher.Verify("s3cret-uni", WerkzeugScryptHash), Is.False);
    }

    [Test]
    public void Scrypt_matches_rfc_7914_s_test_vector()
    {
        var key = Scrypt.DeriveKey("password"u8.ToArray(), "NaCl"u8.ToArray(), 1024, 8, 16, 64);

        Assert.That(Convert.ToHexStringLower(key), Is.EqualTo("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"));
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
    [TestCase("scrypt:1000:8:1$salt$abcdef")]
    [TestCase("scrypt:1073741824:8:1$salt$abcdef")]
    [TestCase("scrypt:32768:8$salt$abcdef")]
    [TestCase("pbkdf2:md5:1000$salt$abcdef")]
    [TestCase("pbkdf2:sha256:x$salt$abcdef")]
    [TestCase("pbkdf2:sha256:1000$salt$not-hex")]
    [TestCase("pbkdf2:sha256:1000$salt$")]
    public void A_hash_it_cannot_check_never_matches(string stored)
    {
        Assert.That(PasswordHasher.Verify("plain-text-password", stored), Is.False);
    }
}
