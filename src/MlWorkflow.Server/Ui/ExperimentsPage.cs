namespace MlWorkflow.Server.Ui;

/// <summary>The experiments: search by name, create, rename, delete and restore.</summary>
internal static class ExperimentsPage
{
    private const int PageSize = 200;

    public static async Task RenderAsync(UiRequest request)
    {
        var search = request.Query("q")?.Trim() ?? string.Empty;
        var deleted = request.Query("view") == "deleted";
        var filter = NameSearch.Filter(search);
        string? error = null;
        PagedList<Experiment> page = PagedList<Experiment>.Empty;
        try
        {
            page = await request.Server.Store.SearchExperimentsAsync(
                new SearchExperimentsRequest
                {
                    MaxResults = PageSize,
                    Filter = filter,
                    OrderBy = ["last_update_time DESC"],
                    ViewType = deleted ? ViewType.DeletedOnly : ViewType.ActiveOnly,
                    PageToken = request.Query("page"),
                },
                request.Aborted).ConfigureAwait(false);
            page = page with { Items = await Auth.AuthSession.ReadableAsync(request.Context, Auth.ResourceKind.Experiment, page.Items, e => e.ExperimentId).ConfigureAwait(false) };
        }
        catch (MlflowException e) when (e.HttpStatus < 500)
        {
            error = e.Message;
        }

        await UiLayout.WriteAsync(request, "Experiments", "experiments", html =>
        {
            html.Raw("<div class=\"title-row\"><h1>Experiments</h1>");
            UiLayout.FormStart(html, request, "experiment-create", "inline");
            html.Raw("<label>New experiment <input name=\"name\" required maxlength=\"500\" placeholder=\"name\"></label><button type=\"submit\">Create</button></form></div>");

            html.Raw("<form method=\"get\" class=\"toolbar\" role=\"search\"><label>Search by name <input type=\"search\" name=\"q\"").Attr("value", search)
                .Raw(" placeholder=\"part of a name\"></label>");
            html.Raw("<label><input type=\"checkbox\" name=\"view\" value=\"deleted\"").Raw(deleted ? " checked" : string.Empty).Raw("> deleted ones</label>");
            html.Raw("<button type=\"submit\">Search</button></form>");
            if (error is not null)
            {
                html.Raw("<p class=\"notice error\" role=\"alert\">").Text(error).Raw("</p>");
            }

            if (page.Items.Count == 0)
            {
                html.Raw("<p class=\"empty\">").Text(search.Length > 0 ? "No experiment matches." : "No experiments yet.").Raw("</p>");
                return;
            }

            html.Raw("<table class=\"grid\"><thead><tr><th>Name</th><th>Id</th><th>Created</th><th>Updated</th><th>Rename</th><th></th></tr></thead><tbody>");
            foreach (var experiment in page.Items)
            {
                html.Raw("<tr><td>").Link(request.Url("/experiments/" + Html.Q(experiment.ExperimentId)), experiment.Name)
                    .Raw("</td><td class=\"mono\">").Text(experiment.ExperimentId)
                    .Raw("</td><td>").Text(Html.Time(experiment.CreationTime))
                    .Raw("</td><td>").Text(Html.Time(experiment.LastUpdateTime)).Raw("</td><td>");
                UiLayout.FormStart(html, request, "experiment-rename", "inline");
                html.Hidden("id", experiment.ExperimentId)
                    .Raw("<input name=\"name\" required aria-label=\"New name\"").Attr("value", experiment.Name).Raw("><button type=\"submit\">Rename</button></form></td><td>");
                if (deleted)
                {
                    UiLayout.FormStart(html, request, "experiment-restore", "inline");
                    html.Hidden("id", experiment.ExperimentId).Raw("<button type=\"submit\">Restore</button></form>");
                }
                else if (experiment.ExperimentId != Experiment.DefaultExperimentId)
                {
                    UiLayout.FormStart(html, request, "experiment-delete", "inline", $"Delete experiment '{experiment.Name}'? It can be restored.");
                    html.Hidden("id", experiment.ExperimentId).Raw("<button type=\"submit\" class=\"danger\">Delete</button></form>");
                }

                html.Raw("</td></tr>");
            }

            html.Raw("</tbody></table>");
            if (page.NextPageToken is { } next)
            {
                html.Raw("<p class=\"pager\">").Link(request.Url($"/?q={Html.Q(search)}&view={(deleted ? "deleted" : string.Empty)}&page={Html.Q(next)}"), "Next page →").Raw("</p>");
            }
        }).ConfigureAwait(false);
    }
}
