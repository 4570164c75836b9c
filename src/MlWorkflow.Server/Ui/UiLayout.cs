using System.Text;
using Microsoft.AspNetCore.Http;

namespace MlWorkflow.Server.Ui;

/// <summary>The frame of every page (header, navigation, notices) and the headers every UI answer carries.</summary>
internal static class UiLayout
{
    /// <summary>Scripts only from the UI's own file, styles only from its own stylesheet, no framing, forms only to itself.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void SecurityHeaders(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }

    /// <summary>Writes a whole page.</summary>
    public static async Task WriteAsync(UiRequest request, string title, string section, Action<Html> body, int status = StatusCodes.Status200OK)
    {
        var html = new Html();
        html.Raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<meta name=\"color-scheme\" content=\"light dark\">")
            .Element("title", title + " · MlWorkflow")
            .Raw("<link rel=\"stylesheet\"").Attr("href", request.Url(UiAsset.Style.Path)).Raw(">")
            .Raw("<script defer").Attr("src", request.Url(UiAsset.Script.Path)).Raw("></script>")
            .Raw("</head><body").Attr("data-base", request.Base).Raw(">")
            .Raw("<a class=\"skip\" href=\"#main\">Skip to content</a>")
            .Raw("<header class=\"top\"><a class=\"brand\"").Attr("href", request.Url("/")).Raw(">MlWorkflow</a><nav aria-label=\"Sections\">");
        NavLink(html, request.Url("/"), "Experiments", section == "experiments");
        NavLink(html, request.Url("/models"), "Models", section == "models");
        html.Raw("</nav></header><main id=\"main\">");
        if (request.Query("msg") is { Length: > 0 } message)
        {
            html.Raw("<p class=\"notice ok\" role=\"status\">").Text(Bounded(message)).Raw("</p>");
        }

        if (request.Query("error") is { Length: > 0 } error)
        {
            html.Raw("<p class=\"notice error\" role=\"alert\">").Text(Bounded(error)).Raw("</p>");
        }

        body(html);
        html.Raw("</main></body></html>");

        SecurityHeaders(request.Context);
        request.Context.Response.StatusCode = status;
        request.Context.Response.ContentType = "text/html; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(html.ToString());
        request.Context.Response.ContentLength = bytes.Length;
        await request.Context.Response.Body.WriteAsync(bytes, request.Aborted).ConfigureAwait(false);
    }

    /// <summary>A form opening tag for a UI action, with its token.</summary>
    public static void FormStart(Html html, UiRequest request, string action, string? cssClass = null, string? confirm = null)
    {
        html.Raw("<form method=\"post\"").Attr("action", request.Url("/actions/" + action));
        if (cssClass is not null)
        {
            html.Attr("class", cssClass);
        }

        if (confirm is not null)
        {
            html.Attr("data-confirm", confirm);
        }

        html.Raw(">").Hidden(UiRequest.TokenField, request.Token()).Hidden("return", request.Context.Request.Path + request.Context.Request.QueryString);
    }

    private static void NavLink(Html html, string href, string text, bool current)
    {
        html.Raw("<a").Attr("href", href);
        if (current)
        {
            html.Raw(" aria-current=\"page\"");
        }

        html.Raw(">").Text(text).Raw("</a>");
    }

    private static string Bounded(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
