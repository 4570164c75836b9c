using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// Passwords as Werkzeug's <c>generate_password_hash</c> writes them: ours with PBKDF2 (<c>pbkdf2:sha256:&lt;iterations&gt;$&lt;salt&gt;$&lt;hex&gt;</c>,
/// the salt used as ASCII text), so that MLflow's auth app and this server verify each other's hashes; compared in constant time.
/// </summary>
internal static class PasswordHasher
{
    private const string SaltAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetString(SaltAlphabet, 16);
        var hash = Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2:sha256:{iterations}${salt}${Convert.ToHexStringLower(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="stored"/>; false for a malformed hash or a method other than PBKDF2 with SHA-256 or SHA-512 or scrypt (Werkzeug 3's default).</summary>
    public static bool Verify(string password, string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not { Length: 3 })
        {
            return false;
        }

        var method = parts[0].Split(':');
        if (method[0] == "scrypt")
        {
            return VerifyScrypt(password, parts[1], parts[2], method);
        }

        if (method.Length != 3 || method[0] != "pbkdf2"
            || !int.TryParse(method[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        HashAlgorithmName algorithm;
        switch (method[1])
        {
            case "sha256":
                algorithm = HashAlgorithmName.SHA256;
                break;
            case "sha512":
                algorithm = HashAlgorithmName.SHA512;
                break;
            default:
                return false;
        }

        byte[] expected;
        try
        {
            expected = Convert.FromHexString(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        var actual = Pbkdf2(password, parts[1], iterations, algorithm, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Werkzeug 3's <c>scrypt[:N:r:p]$salt$hex</c> (defaults N 32768, r 8, p 1; a 64-byte key), the salt used as ASCII text.</summary>
    private static bool VerifyScrypt(string password, string salt, string hex, string[] method)
    {
        long n = 32768;
        int r = 8, p = 1;
        if (method.Length != 1
            && (method.Length != 4
                || !long.TryParse(method[1], NumberStyles.None, CultureInfo.InvariantCulture, out n)
                || !int.TryParse(method[2], NumberStyles.None, CultureInfo.InvariantCulture, out r)
                || !int.TryParse(method[3], NumberStyles.None, CultureInfo.InvariantCulture, out p)))
        {
            return false;
        }

        byte[] expected;
        try
        {
            expected = Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0 || !Scrypt.Supports(n, r, p))
        {
            return false;
        }

        var actual = Scrypt.DeriveKey(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), (int)n, r, p, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static byte[] Pbkdf2(string password, string salt, int iterations, HashAlgorithmName algorithm, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, algorithm, length);
}
