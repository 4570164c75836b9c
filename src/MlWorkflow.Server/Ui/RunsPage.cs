using System.Globalization;

namespace MlWorkflow.Server.Ui;

/// <summary>The runs of an experiment: a table with picked param, metric and tag columns, sorted and filtered by MLflow's search grammar, a page at a time.</summary>
internal static class RunsPage
{
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;
    private const int DefaultMetricColumns = 4;

    private static readonly (string Label, string OrderKey)[] FixedColumns =
    [
        ("Name", "attributes.run_name"),
        ("Status", "attributes.status"),
        ("Start", "attributes.start_time"),
        ("Duration", string.Empty),
        ("User", "attributes.user_id"),
        ("Source", "tags.`mlflow.source.name`"),
    ];

    public static async Task RenderAsync(UiRequest request, string experimentId)
    {
        var experiment = await request.Server.Store.GetExperimentAsync(experimentId, request.Aborted).ConfigureAwait(false);
        var filter = request.Query("filter")?.Trim() ?? string.Empty;
        var order = request.Query("order")?.Trim() ?? string.Empty;
        var deleted = request.Query("view") == "deleted";
        var size = int.TryParse(request.Query("size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 1, MaxPageSize) : DefaultPageSize;
        var pageToken = request.Query("page");
        string? error = null;
        PagedList<Run> page = PagedList<Run>.Empty;
        try
        {
            page = await request.Server.Store.SearchRunsAsync(
                new SearchRunsRequest
                {
                    ExperimentIds = [experimentId],
                    Filter = filter.Length == 0 ? null : filter,
                    OrderBy = order.Length == 0 ? [] : [order],
                    MaxResults = size,
                    PageToken = string.IsNullOrEmpty(pageToken) ? null : pageToken,
                    RunViewType = deleted ? ViewType.DeletedOnly : ViewType.ActiveOnly,
                },
                request.Aborted).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.HttpStatus < 500)
        {
            // A filter the grammar refuses is shown next to the box it was typed in, never as a broken page.
            error = e.Message;
        }

        var columns = PickedColumns(request, page.Items);
        var available = AvailableColumns(page.Items);

        await UiLayout.WriteAsync(request, experiment.Name, "experiments", html =>
        {
            html.Raw("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">").Link(request.Url("/"), "Experiments").Raw(" / </nav>");
            html.Raw("<h1>").Text(experiment.Name).Raw(" <span class=\"muted mono\">#").Text(experiment.ExperimentId).Raw("</span>");
            if (experiment.LifecycleStage == LifecycleStage.Deleted)
            {
                html.Raw(" <span class=\"badge\">deleted</span>");
            }

            html.Raw("</h1>");

            html.Raw("<form method=\"get\" class=\"toolbar filter\" role=\"search\">");
            foreach (var column in columns)
            {
                html.Hidden("cols", column);
            }

            html.Hidden("c", "1").Hidden("order", order)
                .Raw("<label class=\"grow\">Filter <input type=\"search\" name=\"filter\" class=\"mono\" autocomplete=\"off\" spellcheck=\"false\"").Attr("value", filter)
                .Raw(" placeholder=\"metrics.rmse &lt; 0.5 and params.model = 'forest'\"");
            if (error is not null)
            {
                html.Raw(" aria-invalid=\"true\" aria-describedby=\"filter-error\"");
            }

            html.Raw("></label><label><input type=\"checkbox\" name=\"view\" value=\"deleted\"").Raw(deleted ? " checked" : string.Empty).Raw("> deleted runs</label>")
                .Raw("<button type=\"submit\">Search</button></form>");
            if (error is not null)
            {
                html.Raw("<p id=\"filter-error\" class=\"notice error\" role=\"alert\">").Text(error).Raw("</p>");
            }

            ColumnPicker(html, filter, order, deleted, columns, available);
            Table(html, request, experimentId, page, columns, filter, order, deleted, size);
        }).ConfigureAwait(false);
    }

    private static void ColumnPicker(Html html, string filter, string order, bool deleted, IReadOnlyList<string> columns, IReadOnlyList<string> available)
    {
        html.Raw("<details class=\"columns\"><summary>Columns</summary><form method=\"get\" class=\"column-list\">")
            .Hidden("filter", filter).Hidden("order", order).Hidden("c", "1");
        if (deleted)
        {
            html.Hidden("view", "deleted");
        }

        foreach (var key in available.Union(columns).Order(StringComparer.Ordinal))
        {
            html.Raw("<label><input type=\"checkbox\" name=\"cols\"").Attr("value", key).Raw(columns.Contains(key) ? " checked" : string.Empty).Raw("> ").Text(key).Raw("</label>");
        }

        html.Raw("<button type=\"submit\">Show columns</button></form></details>");
    }

    private static void Table(Html html, UiRequest request, string experimentId, PagedList<Run> page, IReadOnlyList<string> columns, string filter, string order, bool deleted, int size)
    {
        var self = request.Url("/experiments/" + Html.Q(experimentId));
        string Query(string orderBy, string? token = null)
        {
            var q = $"?filter={Html.Q(filter)}&order={Html.Q(orderBy)}&c=1&size={size}" + string.Concat(columns.Select(c => "&cols=" + Html.Q(c)));
            q += deleted ? "&view=deleted" : string.Empty;
            return token is null ? q : q + "&page=" + Html.Q(token);
        }

        UiLayout.FormStart(html, request, "runs", "runs");
        html.Hidden("experiment", experimentId);
        html.Raw("<div class=\"toolbar\"><button type=\"submit\" name=\"op\" value=\"compare\">Compare selected</button>")
            .Raw(deleted
                ? "<button type=\"submit\" name=\"op\" value=\"restore\">Restore selected</button>"
                : "<button type=\"submit\" name=\"op\" value=\"delete\" class=\"danger\" data-confirm=\"Delete the selected runs? They can be restored.\">Delete selected</button>")
            .Raw("<span class=\"muted\">").Text(page.Items.Count.ToString(CultureInfo.InvariantCulture) + (page.NextPageToken is null ? " runs" : " runs on this page")).Raw("</span></div>");

        html.Raw("<div class=\"scroll\"><table class=\"grid runs-table\"><thead><tr><th><span class=\"sr\">Select</span></th>");
        foreach (var (label, key) in FixedColumns)
        {
            SortHeader(html, self, label, key, order, Query);
        }

        foreach (var column in columns)
        {
            SortHeader(html, self, column, OrderKey(column), order, Query);
        }

        html.Raw("</tr></thead><tbody>");
        foreach (var run in page.Items)
        {
            var info = run.Info;
            html.Raw("<tr><td><input type=\"checkbox\" name=\"run\"").Attr("value", info.RunId).Attr("aria-label", "Select " + info.RunName).Raw("></td><td>")
                .Link(request.Url("/runs/" + Html.Q(info.RunId)), string.IsNullOrEmpty(info.RunName) ? info.RunId : info.RunName)
                .Raw("</td><td><span").Attr("class", "status " + info.Status.ToString().ToLowerInvariant()).Raw(">").Text(info.Status.ToString()).Raw("</span></td><td>")
                .Text(Html.Time(info.StartTime)).Raw("</td><td>").Text(Html.Duration(info.StartTime, info.EndTime)).Raw("</td><td>")
                .Text(info.UserId).Raw("</td><td class=\"clip\">").Text(SourceName(run.Data.GetTag("mlflow.source.name"))).Raw("</td>");
            foreach (var column in columns)
            {
                var (value, numeric) = Cell(run, column);
                html.Raw(numeric ? "<td class=\"num\">" : "<td class=\"clip\">").Text(value).Raw("</td>");
            }

            html.Raw("</tr>");
        }

        html.Raw("</tbody></table></div></form>");
        if (page.Items.Count == 0)
        {
            html.Raw("<p class=\"empty\">No runs match.</p>");
        }

        html.Raw("<p class=\"pager\">");
        if (!string.IsNullOrEmpty(request.Query("page")))
        {
            html.Link(self + Query(order), "← First page").Raw(" ");
        }

        if (page.NextPageToken is { } next)
        {
            html.Link(self + Query(order, next), "Next page →");
        }

        html.Raw("</p>");
    }

    private static void SortHeader(Html html, string self, string label, string key, string order, Func<string, string?, string> query)
    {
        if (key.Length == 0)
        {
            html.Raw("<th scope=\"col\">").Text(label).Raw("</th>");
            return;
        }

        var ascending = key + " ASC";
        var descending = key + " DESC";
        var state = order == ascending ? "ascending" : order == descending ? "descending" : null;
        var next = state == "ascending" ? descending : ascending;
        html.Raw("<th scope=\"col\"");
        if (state is not null)
        {
            html.Attr("aria-sort", state);
        }

        html.Raw("><a").Attr("href", self + query(next, null)).Attr("title", "Sort by " + key).Raw(">").Text(label)
            .Raw(state == "ascending" ? " ▲" : state == "descending" ? " ▼" : string.Empty).Raw("</a></th>");
    }

    /// <summary>A column's key as MLflow's order_by writes it (<c>metrics.`val loss`</c>).</summary>
    public static string OrderKey(string column)
    {
        var dot = column.IndexOf('.', StringComparison.Ordinal);
        return column[..dot] + ".`" + column[(dot + 1)..] + "`";
    }

    private static (string Value, bool Numeric) Cell(Run run, string column)
    {
        var dot = column.IndexOf('.', StringComparison.Ordinal);
        var key = column[(dot + 1)..];
        return column[..dot] switch
        {
            "metrics" => run.Data.GetMetric(key) is { } m ? (Html.Number(m.Value), true) : (string.Empty, true),
            "params" => (run.Data.GetParam(key) ?? string.Empty, false),
            _ => (run.Data.GetTag(key) ?? string.Empty, false),
        };
    }

    private static string SourceName(string? source) =>
        source is null ? string.Empty : source[(Math.Max(source.LastIndexOf('/'), source.LastIndexOf('\\')) + 1)..];

    private static List<string> PickedColumns(UiRequest request, IReadOnlyList<Run> runs)
    {
        var picked = request.QueryAll("cols").Where(c => c.StartsWith("metrics.", StringComparison.Ordinal) || c.StartsWith("params.", StringComparison.Ordinal) || c.StartsWith("tags.", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Take(50).ToList();
        if (picked.Count > 0 || request.Query("c") == "1")
        {
            return picked;
        }

        return [.. runs.SelectMany(r => r.Data.Metrics.Select(m => "metrics." + m.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(DefaultMetricColumns)];
    }

    private static List<string> AvailableColumns(IReadOnlyList<Run> runs)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            foreach (var m in run.Data.Metrics)
            {
                keys.Add("metrics." + m.Key);
            }

            foreach (var p in run.Data.Params)
            {
                keys.Add("params." + p.Key);
            }

            foreach (var t in run.Data.Tags)
            {
                if (!t.Key.StartsWith("mlflow.", StringComparison.Ordinal))
                {
                    keys.Add("tags." + t.Key);
                }
            }
        }

        return [.. keys];
    }
}
