using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace MlWorkflow.Server.Ui;

/// <summary>The UI's stylesheet and script, embedded in the assembly (nothing is fetched from elsewhere), served with a content hash so browsers keep them.</summary>
internal sealed class UiAsset
{
    private static readonly Lazy<UiAsset> LazyScript = new(() => Load("app.js", "text/javascript; charset=utf-8"));
    private static readonly Lazy<UiAsset> LazyStyle = new(() => Load("app.css", "text/css; charset=utf-8"));

    private UiAsset(string name, byte[] content, string contentType)
    {
        Name = name;
        Content = content;
        ContentType = contentType;
        Version = Convert.ToHexStringLower(SHA256.HashData(content))[..12];
    }

    public static UiAsset Script => LazyScript.Value;

    public static UiAsset Style => LazyStyle.Value;

    public string Name { get; }

    public byte[] Content { get; }

    public string ContentType { get; }

    /// <summary>The first characters of the content's hash, part of the URL so that a new version is fetched at once.</summary>
    public string Version { get; }

    public string Path => $"/static/{Name}?v={Version}";

    public async Task WriteAsync(HttpContext context)
    {
        var etag = "\"" + Version + "\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = context.Request.Query["v"] == Version ? "public, max-age=31536000, immutable" : "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = ContentType;
        context.Response.ContentLength = Content.Length;
        await context.Response.Body.WriteAsync(Content, context.RequestAborted).ConfigureAwait(false);
    }

    private static UiAsset Load(string name, string contentType)
    {
        using var stream = typeof(UiAsset).Assembly.GetManifestResourceStream("MlWorkflow.Server.Ui.Assets." + name)
            ?? throw new InvalidOperationException($"The UI asset '{name}' is missing from the assembly.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new UiAsset(name, copy.ToArray(), contentType);
    }
}
