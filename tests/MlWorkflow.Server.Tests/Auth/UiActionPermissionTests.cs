using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MlWorkflow.Server.Auth;

namespace MlWorkflow.Server.Tests.Auth;

/// <summary>The web UI's form actions at every permission level: applied (a redirect without an error) when the level allows them, else 403 before anything changes.</summary>
[TestFixture]
public sealed class UiActionPermissionTests : AuthServerFixture
{
    private const string Token = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ"; // 43 characters, as the UI's own tokens

    private static readonly (string Action, string Form, Capability Needs)[] Actions =
    [
        ("experiment-create", "name=created-in-ui", Capability.Read), // any logged-in user
        ("experiment-rename", "id={exp}&name=renamed", Capability.Update),
        ("experiment-delete", "id={exp}", Capability.Delete),
        ("runs", "op=compare&run={run}", Capability.Read),
        ("runs", "op=delete&run={run}", Capability.Delete),
        ("model-transition", "name=m&version=1&stage=Staging", Capability.Update),
        ("alias-set", "name=m&alias=a&version=1", Capability.Update),
        ("alias-delete", "name=m&alias=champion", Capability.Delete),
    ];

    protected override MlflowPermissionLevel DefaultPermission => MlflowPermissionLevel.NoPermissions;

    private static IEnumerable<TestCaseData> Cases() =>
        from index in Enumerable.Range(0, Actions.Length)
        from level in new[] { "READ", "EDIT", "MANAGE", "NO_PERMISSIONS" }
        select new TestCaseData(index, level).SetName($"UI {Actions[index].Action} {Actions[index].Form.Split('&')[0]} with {level}");

    [TestCaseSource(nameof(Cases))]
    public async Task A_ui_action_is_applied_when_the_level_allows_it_and_refused_403_otherwise(int index, string level)
    {
        var (action, form, needs) = Actions[index];
        var (experimentId, runId) = await SeedAsync();
        await CreateUserAsync("bob");
        await GrantExperimentAsync(experimentId, "bob", level);
        await GrantModelAsync("m", "bob", level);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.Uri };
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("bob:bob-pw")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/actions/" + action)
        {
            Content = new StringContent(form.Replace("{exp}", experimentId, StringComparison.Ordinal).Replace("{run}", runId, StringComparison.Ordinal) + "&_token=" + Token, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("Cookie", "mlw_ui_token=" + Token);

        using var response = await browser.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        var allowed = action == "experiment-create" || Permissions.Parse(level).Allows(needs);
        if (allowed)
        {
            Assert.That((int)response.StatusCode, Is.InRange(300, 399), body);
            Assert.That(response.Headers.Location!.ToString(), Does.Not.Contain("error="), "the action ran");
        }
        else
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(403), body);
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("error_code").GetString(), Is.EqualTo("PERMISSION_DENIED"));
        }
    }
}
