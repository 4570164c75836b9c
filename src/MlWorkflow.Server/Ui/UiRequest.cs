using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlWorkflow.Server.Hosting;

namespace MlWorkflow.Server.Ui;

/// <summary>What a UI page needs from its request: where the UI is mounted, the server's stores, and the form token against cross-site requests.</summary>
internal sealed class UiRequest
{
    /// <summary>The cookie holding the form token (double submit: a page of another site can neither read it nor set it).</summary>
    public const string TokenCookie = "mlw_ui_token";

    /// <summary>The form field carrying the token.</summary>
    public const string TokenField = "_token";

    private UiRequest(HttpContext context, ServerContext server, string basePath)
    {
        Context = context;
        Server = server;
        Base = basePath;
    }

    public HttpContext Context { get; }

    public ServerContext Server { get; }

    /// <summary>The UI's root URL path, without the trailing slash (empty when mounted at the root).</summary>
    public string Base { get; }

    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The request for a page mapped at <paramref name="suffix"/> of the UI's route group.</summary>
    public static UiRequest For(HttpContext context, ServerContext server, string suffix)
    {
        // The UI can be mounted under any group (app.MapGroup("/mlflow").MapMlflowUi()): its root is the route minus the page's own part.
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? suffix;
        var groupPrefix = pattern.EndsWith(suffix, StringComparison.Ordinal) ? pattern[..^suffix.Length] : string.Empty;
        var basePath = (context.Request.PathBase.Value ?? string.Empty) + groupPrefix;
        return new UiRequest(context, server, basePath.TrimEnd('/'));
    }

    /// <summary>An absolute URL path of the UI (<c>/experiments/1</c> → <c>/mlflow/experiments/1</c>).</summary>
    public string Url(string relative) => Base + relative;

    public string? Query(string name) => Context.Request.Query[name] is { Count: > 0 } values ? values[0] : null;

    public string[] QueryAll(string name) => [.. Context.Request.Query[name].Where(v => !string.IsNullOrEmpty(v)).Select(v => v!)];

    /// <summary>The form token of this browser, issued (as a strict same-site, script-inaccessible cookie) when it has none.</summary>
    public string Token()
    {
        if (Context.Request.Cookies.TryGetValue(TokenCookie, out var token) && token.Length == 43)
        {
            return token;
        }

        if (Context.Items.TryGetValue(TokenCookie, out var issued) && issued is string already)
        {
            return already;
        }

        token = Base64Url(RandomNumberGenerator.GetBytes(32));
        Context.Items[TokenCookie] = token;
        Context.Response.Cookies.Append(TokenCookie, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = Context.Request.IsHttps,
            Path = Base.Length == 0 ? "/" : Base,
            IsEssential = true,
        });
        return token;
    }

    /// <summary>
    /// Whether a state-changing request comes from the UI's own pages: the form token matches the cookie, and the browser's
    /// <c>Origin</c> (or <c>Sec-Fetch-Site</c>) does not name another site.
    /// </summary>
    public bool IsSameOriginPost(string? formToken)
    {
        var headers = Context.Request.Headers;
        if (headers["Sec-Fetch-Site"] is { Count: > 0 } site && site[0] is not ("same-origin" or "none"))
        {
            return false;
        }

        if (headers.Origin is { Count: > 0 } origin && origin[0] is { } value
            && !string.Equals(value, $"{Context.Request.Scheme}://{Context.Request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return formToken is { Length: 43 }
            && Context.Request.Cookies.TryGetValue(TokenCookie, out var cookie)
            && cookie is { Length: 43 }
            && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(cookie), System.Text.Encoding.ASCII.GetBytes(formToken));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
