using System.Text.Json;

namespace MlWorkflow.Server.Ui;

/// <summary>Runs side by side: params and metrics with the rows that differ marked, a scatter of a metric against a param, and shared metric charts.</summary>
internal static class ComparePage
{
    /// <summary>The most runs compared at once (the chart data endpoint takes as many as MLflow's, 100).</summary>
    public const int MaxRuns = 100;

    public static async Task RenderAsync(UiRequest request)
    {
        var ids = request.QueryAll("run").Distinct(StringComparer.Ordinal).Take(MaxRuns).ToList();
        var runs = new List<Run>(ids.Count);
        foreach (var id in ids)
        {
            runs.Add(await request.Server.Store.GetRunAsync(id, request.Aborted).ConfigureAwait(false));
        }

        var paramKeys = runs.SelectMany(r => r.Data.Params.Select(p => p.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var metricKeys = runs.SelectMany(r => r.Data.Metrics.Select(m => m.Key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        await UiLayout.WriteAsync(request, "Compare runs", "experiments", html =>
        {
            html.Raw("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">").Link(request.Url("/"), "Experiments").Raw(" / ");
            if (runs.Count > 0)
            {
                html.Link(request.Url("/experiments/" + Html.Q(runs[0].Info.ExperimentId)), "Runs").Raw(" / ");
            }

            html.Raw("</nav><h1>").Text($"Comparing {runs.Count} runs").Raw("</h1>");
            if (runs.Count < 2)
            {
                html.Raw("<p class=\"notice\">Select at least two runs in an experiment's table to compare them.</p>");
            }

            html.Raw("<div class=\"scroll\"><table class=\"grid compare\"><thead><tr><th scope=\"col\">Run</th>");
            foreach (var run in runs)
            {
                html.Raw("<th scope=\"col\">").Link(request.Url("/runs/" + Html.Q(run.Info.RunId)), string.IsNullOrEmpty(run.Info.RunName) ? run.Info.RunId : run.Info.RunName).Raw("</th>");
            }

            html.Raw("</tr></thead><tbody>");
            Section(html, "Parameters", runs.Count);
            foreach (var key in paramKeys)
            {
                Row(html, "params", key, runs.Select(r => r.Data.GetParam(key)).ToList(), numeric: false);
            }

            Section(html, "Metrics", runs.Count);
            foreach (var key in metricKeys)
            {
                Row(html, "metrics", key, runs.Select(r => r.Data.GetMetric(key) is { } m ? Html.Number(m.Value) : null).ToList(), numeric: true);
            }

            html.Raw("</tbody></table></div>");

            if (runs.Count > 0 && metricKeys.Count > 0)
            {
                var data = new Dictionary<string, object>
                {
                    ["runs"] = runs.Select(r => new Dictionary<string, object?>
                    {
                        ["id"] = r.Info.RunId,
                        ["name"] = string.IsNullOrEmpty(r.Info.RunName) ? r.Info.RunId : r.Info.RunName,
                        ["params"] = r.Data.Params.ToDictionary(p => p.Key, p => p.Value),
                        ["metrics"] = r.Data.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value),
                    }).ToList(),
                };

                // JSON in a data block: the default encoder escapes < > & ' so that no value can end the element.
                html.Raw("<section class=\"scatter\"><h2>Scatter</h2><div class=\"toolbar\"><label>Metric (y) <select name=\"metric\">");
                foreach (var key in metricKeys)
                {
                    html.Raw("<option").Attr("value", key).Raw(">").Text(key).Raw("</option>");
                }

                html.Raw("</select></label><label>Param (x) <select name=\"param\">");
                foreach (var key in paramKeys)
                {
                    html.Raw("<option").Attr("value", key).Raw(">").Text(key).Raw("</option>");
                }

                html.Raw("</select></label></div><div class=\"plot\" role=\"img\" aria-label=\"Scatter of a metric against a param\"></div>")
                    .Raw("<script type=\"application/json\" class=\"compare-data\">").Raw(JsonSerializer.Serialize(data)).Raw("</script></section>");
                RunPage.Charts(html, request, [.. runs.Select(r => r.Info.RunId)], metricKeys);
            }
        }).ConfigureAwait(false);
    }

    private static void Section(Html html, string title, int runs) =>
        html.Raw("<tr class=\"section\"><th scope=\"rowgroup\"").Attr("colspan", (runs + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)).Raw(">").Text(title).Raw("</th></tr>");

    private static void Row(Html html, string kind, string key, List<string?> values, bool numeric)
    {
        var differs = values.Distinct(StringComparer.Ordinal).Count() > 1;
        html.Raw("<tr").Raw(differs ? " class=\"diff\"" : string.Empty).Attr("data-key", kind + "." + key).Raw("><th scope=\"row\">").Text(key);
        if (differs)
        {
            html.Raw(" <span class=\"sr\">(differs)</span>");
        }

        html.Raw("</th>");
        foreach (var value in values)
        {
            html.Raw(numeric ? "<td class=\"num\">" : "<td class=\"wrap\">").Text(value ?? "—").Raw("</td>");
        }

        html.Raw("</tr>");
    }
}
