using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Ui;

/// <summary>The registered models, and one model's versions with their stage, aliases, tags and source run; stage transitions and aliases.</summary>
internal static class ModelsPage
{
    private const int PageSize = 200;

    public static async Task RenderListAsync(UiRequest request)
    {
        var registry = request.Server.Registry;
        var search = request.Query("q")?.Trim() ?? string.Empty;
        PagedList<RegisteredModel> page = PagedList<RegisteredModel>.Empty;
        string? error = null;
        if (registry is not null)
        {
            try
            {
                page = await registry.SearchRegisteredModelsAsync(
                    new SearchRegisteredModelsRequest
                    {
                        MaxResults = PageSize,
                        Filter = NameSearch.Filter(search),
                        PageToken = request.Query("page"),
                    },
                    request.Aborted).ConfigureAwait(false);
                page = page with { Items = await Auth.AuthSession.ReadableAsync(request.Context, Auth.ResourceKind.RegisteredModel, page.Items, m => m.Name).ConfigureAwait(false) };
            }
            catch (MlflowException e) when (e.HttpStatus < 500)
            {
                error = e.Message;
            }
        }

        await UiLayout.WriteAsync(request, "Models", "models", html =>
        {
            html.Raw("<h1>Registered models</h1>");
            if (registry is null)
            {
                html.Raw("<p class=\"notice\">This server has no model registry.</p>");
                return;
            }

            html.Raw("<form method=\"get\" class=\"toolbar\" role=\"search\"><label>Search by name <input type=\"search\" name=\"q\"").Attr("value", search).Raw("></label><button type=\"submit\">Search</button></form>");
            if (error is not null)
            {
                html.Raw("<p class=\"notice error\" role=\"alert\">").Text(error).Raw("</p>");
            }

            if (page.Items.Count == 0)
            {
                html.Raw("<p class=\"empty\">No registered models.</p>");
                return;
            }

            html.Raw("<table class=\"grid\"><thead><tr><th>Name</th><th>Latest versions</th><th>Aliases</th><th>Updated</th></tr></thead><tbody>");
            foreach (var model in page.Items)
            {
                html.Raw("<tr><td>").Link(request.Url("/model?name=" + Html.Q(model.Name)), model.Name).Raw("</td><td>");
                foreach (var version in model.LatestVersions.OrderBy(v => v.Version))
                {
                    html.Raw("<span class=\"chip\">v").Text(version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw(" ").Text(version.CurrentStage.ToWireName()).Raw("</span> ");
                }

                html.Raw("</td><td>");
                foreach (var alias in model.Aliases)
                {
                    html.Raw("<span class=\"chip\">@").Text(alias.Alias).Raw(" → v").Text(alias.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw("</span> ");
                }

                html.Raw("</td><td>").Text(Html.Time(model.LastUpdatedTimestamp)).Raw("</td></tr>");
            }

            html.Raw("</tbody></table>");
        }).ConfigureAwait(false);
    }

    public static async Task RenderModelAsync(UiRequest request)
    {
        var registry = request.Server.RequireRegistry();
        var name = request.Query("name") ?? string.Empty;
        var model = await registry.GetRegisteredModelAsync(name, request.Aborted).ConfigureAwait(false);
        var versions = new List<ModelVersion>();
        string? token = null;
        do
        {
            var page = await registry.SearchModelVersionsAsync(
                new SearchModelVersionsRequest { Filter = name.Contains('\'', StringComparison.Ordinal) ? $"name = \"{name}\"" : $"name = '{name}'", MaxResults = 1000, PageToken = token },
                request.Aborted).ConfigureAwait(false);
            versions.AddRange(page.Items);
            token = page.NextPageToken;
        }
        while (token is not null && versions.Count < 10_000);

        await UiLayout.WriteAsync(request, model.Name, "models", html =>
        {
            html.Raw("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">").Link(request.Url("/models"), "Models").Raw(" / </nav><h1>").Text(model.Name).Raw("</h1>");
            if (!string.IsNullOrEmpty(model.Description))
            {
                html.Raw("<p class=\"description\">").Text(model.Description).Raw("</p>");
            }

            if (model.Tags.Count > 0)
            {
                html.Raw("<p>");
                foreach (var tag in model.Tags)
                {
                    html.Raw("<span class=\"chip\">").Text(tag.Key + " = " + tag.Value).Raw("</span> ");
                }

                html.Raw("</p>");
            }

            html.Raw("<table class=\"grid versions\"><thead><tr><th>Version</th><th>Stage</th><th>Aliases</th><th>Tags</th><th>Source run</th><th>Created</th><th>Stage and alias</th></tr></thead><tbody>");
            foreach (var version in versions.OrderByDescending(v => v.Version))
            {
                var number = version.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                html.Raw("<tr").Attr("data-version", number).Raw("><td>v").Text(number).Raw("</td><td><span").Attr("class", "stage " + version.CurrentStage.ToWireName().ToLowerInvariant()).Raw(">")
                    .Text(version.CurrentStage.ToWireName()).Raw("</span></td><td>");
                foreach (var alias in version.Aliases)
                {
                    UiLayout.FormStart(html, request, "alias-delete", "inline chip", $"Remove alias '@{alias}' from version {number} of '{model.Name}'?");
                    html.Hidden("name", model.Name).Hidden("alias", alias).Raw("@").Text(alias)
                        .Raw(" <button type=\"submit\" class=\"link\"").Attr("aria-label", "Remove alias " + alias).Raw(">×</button></form> ");
                }

                html.Raw("</td><td>");
                foreach (var tag in version.Tags)
                {
                    html.Raw("<span class=\"chip\">").Text(tag.Key + " = " + tag.Value).Raw("</span> ");
                }

                html.Raw("</td><td>");
                if (version.RunId is { Length: > 0 } runId)
                {
                    html.Link(request.Url("/runs/" + Html.Q(runId)), runId[..Math.Min(8, runId.Length)], "mono");
                }
                else
                {
                    html.Raw("<span class=\"mono clip\">").Text(version.Source).Raw("</span>");
                }

                html.Raw("</td><td>").Text(Html.Time(version.CreationTimestamp)).Raw("</td><td>");
                UiLayout.FormStart(html, request, "model-transition", "inline", $"Move version {number} of '{model.Name}' to the chosen stage?");
                html.Hidden("name", model.Name).Hidden("version", number).Raw("<select name=\"stage\"").Attr("aria-label", $"New stage of version {number}").Raw(">");
                foreach (var stage in new[] { ModelVersionStage.Staging, ModelVersionStage.Production, ModelVersionStage.Archived, ModelVersionStage.None })
                {
                    html.Raw("<option").Attr("value", stage.ToWireName()).Raw(stage == version.CurrentStage ? " selected" : string.Empty).Raw(">").Text(stage.ToWireName()).Raw("</option>");
                }

                html.Raw("</select><label><input type=\"checkbox\" name=\"archive\" value=\"true\"> archive others</label><button type=\"submit\">Apply</button></form>");
                UiLayout.FormStart(html, request, "alias-set", "inline", $"Point the alias at version {number} of '{model.Name}'?");
                html.Hidden("name", model.Name).Hidden("version", number)
                    .Raw("<input name=\"alias\" required size=\"10\" placeholder=\"alias\"").Attr("aria-label", $"Alias for version {number}").Raw("><button type=\"submit\">Set alias</button></form></td></tr>");
            }

            html.Raw("</tbody></table>");
        }).ConfigureAwait(false);
    }
}
