using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// Checks a request's <c>Authorization</c> header: HTTP Basic against the users' password hashes, or a bearer token of
/// <see cref="MlflowAuthOptions.BearerTokens"/>; failures are throttled per user name and client address and logged without the secret.
/// </summary>
/// <remarks>
/// A PBKDF2 check costs a few hundred milliseconds of CPU by design; a password verified once is remembered as a keyed hash
/// (HMAC with a per-process random key) next to the stored hash it matched, so that later requests cost one user lookup and
/// one HMAC, and a changed password (another stored hash) is checked in full again.
/// </remarks>
internal sealed class Authenticator
{
    private const int MaxRemembered = 10_000;

    private readonly AuthStore _store;
    private readonly LoginThrottle _throttle;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _tokens;
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly Lazy<string> _dummyHash;
    private readonly ConcurrentDictionary<string, (string StoredHash, byte[] Mac)> _verified = new(StringComparer.Ordinal);

    public Authenticator(AuthStore store, MlflowAuthOptions options, TimeProvider time, ILogger logger)
    {
        _store = store;
        _logger = logger;
        _throttle = new LoginThrottle(options.MaxFailedLogins, time);
        // Tokens are looked up by their SHA-256, so that the lookup's timing says nothing about a token's characters.
        _tokens = options.BearerTokens.ToDictionary(t => Digest(t.Key), t => t.Value, StringComparer.Ordinal);
        // Made on the first unknown name, not at start-up (600,000 PBKDF2 iterations by default).
        _dummyHash = new(() => PasswordHasher.Hash("not a password", options.PasswordHashIterations));
    }

    public async Task<AuthResult> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        string user;
        string? password = null;
        string? token = null;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return Fail("?", address, "malformed Basic credentials");
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return Fail("?", address, "malformed Basic credentials");
            }

            user = decoded[..colon];
            password = decoded[(colon + 1)..];
        }
        else if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header[7..].Trim();
            user = "(bearer token)";
        }
        else
        {
            return AuthResult.Refused;
        }

        var shown = Endpoints.Excerpt.Of(user.Length > 64 ? user[..64] : user);
        var wait = _throttle.WaitFor(user, address);
        if (wait > TimeSpan.Zero)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            AuthLog.Logins.Add(1, new KeyValuePair<string, object?>("outcome", "throttled"));
            AuthLog.LoginThrottled(_logger, shown, address, seconds);
            return new AuthResult(null, TimeSpan.FromSeconds(seconds));
        }

        if (token is not null)
        {
            if (!_tokens.TryGetValue(Digest(token), out var name))
            {
                return Fail(user, address, "unknown bearer token");
            }

            var holder = await _store.FindUserAsync(name, context.RequestAborted).ConfigureAwait(false);
            return holder is null ? Fail(user, address, $"the bearer token's user '{Endpoints.Excerpt.Of(name)}' does not exist") : Succeed(holder, user, address);
        }

        var found = await _store.FindUserAsync(user, context.RequestAborted).ConfigureAwait(false);
        if (found is null)
        {
            // The same work as for a known user, so that timing does not tell which names exist.
            PasswordHasher.Verify(password!, _dummyHash.Value);
            return Fail(user, address, "unknown user");
        }

        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(password!));
        if (_verified.TryGetValue(user, out var known) && known.StoredHash == found.PasswordHash && CryptographicOperations.FixedTimeEquals(known.Mac, mac))
        {
            return Succeed(found, user, address);
        }

        if (!PasswordHasher.Verify(password!, found.PasswordHash))
        {
            return Fail(user, address, "wrong password");
        }

        if (_verified.Count >= MaxRemembered)
        {
            _verified.Clear();
        }

        _verified[user] = (found.PasswordHash, mac);
        return Succeed(found, user, address);
    }

    private AuthResult Succeed(AuthUser user, string presented, string address)
    {
        _throttle.Succeeded(presented, address);
        AuthLog.Logins.Add(1, new KeyValuePair<string, object?>("outcome", "success"));
        AuthLog.LoggedIn(_logger, user.Username, address);
        return new AuthResult(user, TimeSpan.Zero);
    }

    private AuthResult Fail(string user, string address, string reason)
    {
        var failures = _throttle.Failed(user, address);
        AuthLog.Logins.Add(1, new KeyValuePair<string, object?>("outcome", "failure"));
        AuthLog.LoginFailed(_logger, Endpoints.Excerpt.Of(user.Length > 64 ? user[..64] : user), address, reason, failures);
        return AuthResult.Refused;
    }

    private static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
