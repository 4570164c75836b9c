using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>Every endpoint the server maps has a permission rule, read from the application's own endpoint list; one without is refused.</summary>
[TestFixture]
public sealed class EndpointRuleTests : AuthServerFixture
{
    protected override void Configure(TrackingServerOptions options) =>
        options.ConfigurePipeline = app => ((IEndpointRouteBuilder)app).MapGet("/unruled", () => Results.Text("reached"));

    [Test]
    public void Every_endpoint_the_server_maps_has_a_permission_rule()
    {
        var endpoints = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText != "/unruled")
            .ToList();

        var unruled = endpoints
            .Where(e => e.Metadata.GetMetadata<MlflowRoute>() is not { } route || AccessRules.For(route) is null)
            .Select(e => e.DisplayName)
            .ToList();

        Assert.That(endpoints, Has.Count.GreaterThan(100), "the tracking, registry, artifact, auth and UI endpoints are all listed");
        Assert.That(endpoints.Select(e => e.RoutePattern.RawText), Does.Contain("/api/2.0/mlflow/users/create").And.Contain("/api/2.0/mlflow-artifacts/artifacts/{**path}").And.Contain("/actions/{action}").And.Contain("/get-artifact")
            .And.Contain("/api/2.0/mlflow-artifacts/mpu/create/{**path}").And.Contain("/api/2.0/mlflow-artifacts/mpu/complete/{**path}").And.Contain("/api/2.0/mlflow-artifacts/mpu/abort/{**path}"));
        Assert.That(unruled, Is.Empty, "each of these endpoints needs a rule in AccessRules");
    }

    [Test]
    public void Multipart_upload_routes_need_update_on_the_experiment_as_a_put_of_the_same_artifact_does()
    {
        var put = AccessRules.For(new MlflowRoute("PUT", "/api/2.0/mlflow-artifacts/artifacts/{**path}"))!;
        var rules = new[] { "create", "complete", "abort" }
            .SelectMany(step => new[] { "/api/2.0", "/ajax-api/2.0" }.Select(prefix => AccessRules.For(new MlflowRoute("POST", $"{prefix}/mlflow-artifacts/mpu/{step}/{{**path}}"))))
            .ToList();

        Assert.That(rules, Has.All.Not.Null);
        Assert.That(rules.Select(r => (r!.Description, r.IsOpen)), Has.All.EqualTo((put.Description, false)));
    }

    [Test]
    public void Only_health_and_the_ui_assets_are_open()
    {
        var open = Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<MlflowRoute>() is { } route && AccessRules.For(route) is { IsOpen: true })
            .Select(e => e.RoutePattern.RawText)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.That(open, Is.EqualTo(new[] { "/health", "/static/app.css", "/static/app.js" }));
    }

    [Test]
    public async Task An_endpoint_without_a_rule_is_refused_to_users_but_not_to_admins()
    {
        await CreateUserAsync("bob");

        var (userStatus, userBody, _) = await SendAsync(As("bob"), "GET", "/unruled");
        var (adminStatus, adminBody, _) = await SendAsync(As(AdminName), "GET", "/unruled");

        Assert.That(userStatus, Is.EqualTo(403));
        Assert.That(userBody, Does.Contain("PERMISSION_DENIED"));
        Assert.That(adminStatus, Is.EqualTo(200));
        Assert.That(adminBody, Is.EqualTo("reached"));
    }
}
