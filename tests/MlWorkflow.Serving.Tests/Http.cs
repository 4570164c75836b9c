using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlWorkflow.Serving.Tests;

/// <summary>Requests to a scoring server, as a client of MLflow's scoring server sends them.</summary>
internal static class Http
{
    public static async Task<(HttpStatusCode Status, string Body, string? ContentType)> PostAsync(HttpClient http, string body, string? contentType, string path = "invocations")
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    public static Task<(HttpStatusCode Status, string Body, string? ContentType)> JsonAsync(HttpClient http, string body, string path = "invocations") =>
        PostAsync(http, body, "application/json", path);

    /// <summary>The <c>predictions</c> of a 200 answer (the test fails on any other answer, showing it).</summary>
    public static async Task<JsonElement> PredictionsAsync(HttpClient http, string body, string contentType = "application/json")
    {
        var (status, text, _) = await PostAsync(http, body, contentType);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("predictions").Clone();
    }

    /// <summary>MLflow's error body of a refused request, checked to have that status.</summary>
    public static async Task<(string ErrorCode, string Message)> ErrorAsync(HttpClient http, string body, HttpStatusCode expected, string contentType = "application/json")
    {
        var (status, text, type) = await PostAsync(http, body, contentType);
        Assert.That(status, Is.EqualTo(expected), text);
        Assert.That(type, Does.StartWith("application/json"));
        using var json = JsonDocument.Parse(text);
        return (json.RootElement.GetProperty("error_code").GetString()!, json.RootElement.GetProperty("message").GetString()!);
    }

    public static double[] Numbers(JsonElement predictions) => predictions.EnumerateArray().Select(p => p.GetDouble()).ToArray();
}
