using System.Text;

namespace MlWorkflow.Server.Ui;

/// <summary>One run: its facts, params, latest metrics with charts, tags, note, datasets, parent and children, logged models and artifacts.</summary>
internal static class RunPage
{
    /// <summary>The most artifact entries the tree lists; a run with more shows a note and its top folders still open one by one.</summary>
    private const int MaxArtifactEntries = 2000;

    private const int MaxModelFileBytes = 64 * 1024;

    private const int MaxCharts = 24;

    public static async Task RenderAsync(UiRequest request, string runId)
    {
        var store = request.Server.Store;
        var run = await store.GetRunAsync(runId, request.Aborted).ConfigureAwait(false);
        var info = run.Info;
        var experiment = await store.GetExperimentAsync(info.ExperimentId, request.Aborted).ConfigureAwait(false);
        var children = await store.SearchRunsAsync(
            new SearchRunsRequest { ExperimentIds = [info.ExperimentId], Filter = $"tags.`mlflow.parentRunId` = '{info.RunId.Replace("'", string.Empty, StringComparison.Ordinal)}'", MaxResults = 100 },
            request.Aborted).ConfigureAwait(false);
        var (artifacts, artifactError, truncated) = await ListArtifactsAsync(request, info.ArtifactUri).ConfigureAwait(false);
        var models = new List<(string Folder, string MLmodel, bool HasExample)>();
        foreach (var folder in artifacts.Where(a => !a.IsDirectory && (a.Path == "MLmodel" || a.Path.EndsWith("/MLmodel", StringComparison.Ordinal))).Take(5))
        {
            var text = await ReadTextAsync(request, info.ArtifactUri, folder.Path).ConfigureAwait(false);
            var root = folder.Path.Length > "MLmodel".Length ? folder.Path[..^"/MLmodel".Length] : string.Empty;
            models.Add((root, text, artifacts.Any(a => a.Path == (root.Length == 0 ? "input_example.json" : root + "/input_example.json"))));
        }

        var parentId = run.Data.GetTag("mlflow.parentRunId");
        var name = string.IsNullOrEmpty(info.RunName) ? info.RunId : info.RunName;
        await UiLayout.WriteAsync(request, name, "experiments", html =>
        {
            html.Raw("<nav class=\"crumbs\" aria-label=\"Breadcrumb\">").Link(request.Url("/"), "Experiments").Raw(" / ")
                .Link(request.Url("/experiments/" + Html.Q(experiment.ExperimentId)), experiment.Name).Raw(" / </nav>");
            html.Raw("<h1>").Text(name).Raw(" <span").Attr("class", "status " + info.Status.ToString().ToLowerInvariant()).Raw(">").Text(info.Status.ToString()).Raw("</span>");
            if (info.LifecycleStage == LifecycleStage.Deleted)
            {
                html.Raw(" <span class=\"badge\">deleted</span>");
            }

            html.Raw("</h1><dl class=\"facts\">");
            Fact(html, "Run id", info.RunId, mono: true);
            Fact(html, "Started", Html.Time(info.StartTime));
            Fact(html, "Duration", Html.Duration(info.StartTime, info.EndTime));
            Fact(html, "User", info.UserId);
            Fact(html, "Source", run.Data.GetTag("mlflow.source.name"));
            Fact(html, "Git commit", run.Data.GetTag("mlflow.source.git.commit"), mono: true);
            if (parentId is not null)
            {
                html.Raw("<div><dt>Parent run</dt><dd>").Link(request.Url("/runs/" + Html.Q(parentId)), parentId, "mono").Raw("</dd></div>");
            }

            html.Raw("</dl>");
            if (run.Data.GetTag("mlflow.note.content") is { Length: > 0 } note)
            {
                html.Raw("<section><h2>Note</h2><pre class=\"note\">").Text(note).Raw("</pre></section>");
            }

            if (children.Items.Count > 0)
            {
                html.Raw("<section><h2>Child runs</h2><ul class=\"plain\">");
                foreach (var child in children.Items)
                {
                    html.Raw("<li>").Link(request.Url("/runs/" + Html.Q(child.Info.RunId)), string.IsNullOrEmpty(child.Info.RunName) ? child.Info.RunId : child.Info.RunName).Raw("</li>");
                }

                html.Raw("</ul></section>");
            }

            html.Raw("<div class=\"columns2\">");
            KeyValues(html, "Parameters", run.Data.Params.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value, false)));
            KeyValues(html, "Metrics (latest)", run.Data.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, Html.Number(m.Value), true)));
            html.Raw("</div>");

            Charts(html, request, [info.RunId], run.Data.Metrics.Select(m => m.Key));
            Datasets(html, run);
            Models(html, request, info.RunId, models);
            Artifacts(html, request, info.RunId, artifacts, artifactError, truncated);
            var userTags = run.Data.Tags.Where(t => !t.Key.StartsWith("mlflow.", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value, false));
            KeyValues(html, "Tags", userTags);
            html.Raw("<details class=\"system-tags\"><summary>System tags</summary>");
            KeyValues(html, null, run.Data.Tags.Where(t => t.Key.StartsWith("mlflow.", StringComparison.Ordinal)).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (t.Key, t.Value, false)));
            html.Raw("</details>");
        }).ConfigureAwait(false);
    }

    /// <summary>The chart panel: one chart per metric, drawn by the page's script from the server's sampled history.</summary>
    public static void Charts(Html html, UiRequest request, IReadOnlyList<string> runIds, IEnumerable<string> metricKeys)
    {
        var keys = metricKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (keys.Count == 0)
        {
            return;
        }

        html.Raw("<section class=\"charts\" aria-label=\"Metric charts\"").Attr("data-api", request.Url("/ui-api/chart")).Attr("data-runs", string.Join(',', runIds)).Raw(">")
            .Raw("<div class=\"toolbar chart-controls\"><h2>Charts</h2><label>X axis <select name=\"x\"><option value=\"step\">Step</option><option value=\"time\">Time</option><option value=\"relative\">Relative time</option></select></label>")
            .Raw("<label><input type=\"checkbox\" name=\"log\"> Log scale</label>")
            .Raw("<label>Smoothing <input type=\"range\" name=\"smooth\" min=\"0\" max=\"0.99\" step=\"0.01\" value=\"0\"></label></div><div class=\"chart-grid\">");
        foreach (var key in keys.Take(MaxCharts))
        {
            html.Raw("<figure class=\"chart\"").Attr("data-key", key).Raw("><figcaption>").Text(key).Raw("</figcaption><div class=\"plot\" role=\"img\"").Attr("aria-label", "History of " + key).Raw("></div></figure>");
        }

        html.Raw("</div>");
        if (keys.Count > MaxCharts)
        {
            html.Raw("<p class=\"muted\">").Text($"{keys.Count - MaxCharts} more metrics are not charted here.").Raw("</p>");
        }

        html.Raw("</section>");
    }

    private static void Fact(Html html, string label, string? value, bool mono = false)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        html.Raw("<div><dt>").Text(label).Raw("</dt><dd").Raw(mono ? " class=\"mono\"" : string.Empty).Raw(">").Text(value).Raw("</dd></div>");
    }

    private static void KeyValues(Html html, string? title, IEnumerable<(string Key, string Value, bool Numeric)> rows)
    {
        var list = rows.ToList();
        html.Raw("<section>");
        if (title is not null)
        {
            html.Element("h2", title);
        }

        if (list.Count == 0)
        {
            html.Raw("<p class=\"empty\">None.</p></section>");
            return;
        }

        html.Raw("<table class=\"grid kv\"><tbody>");
        foreach (var (key, value, numeric) in list)
        {
            html.Raw("<tr><th scope=\"row\">").Text(key).Raw(numeric ? "</th><td class=\"num\">" : "</th><td class=\"wrap\">").Text(value).Raw("</td></tr>");
        }

        html.Raw("</tbody></table></section>");
    }

    private static void Datasets(Html html, Run run)
    {
        if (run.Inputs.DatasetInputs.Count == 0)
        {
            return;
        }

        html.Raw("<section><h2>Datasets</h2><table class=\"grid\"><thead><tr><th>Name</th><th>Digest</th><th>Context</th><th>Source</th><th>Schema</th></tr></thead><tbody>");
        foreach (var input in run.Inputs.DatasetInputs)
        {
            var d = input.Dataset;
            html.Raw("<tr><td>").Text(d.Name).Raw("</td><td class=\"mono\">").Text(d.Digest).Raw("</td><td>")
                .Text(input.Tags.FirstOrDefault(t => t.Key == "mlflow.data.context")?.Value).Raw("</td><td class=\"wrap\">")
                .Text(d.SourceType + ": " + d.Source).Raw("</td><td>");
            if (!string.IsNullOrEmpty(d.Schema))
            {
                html.Raw("<details><summary>schema</summary><pre>").Text(d.Schema).Raw("</pre></details>");
            }

            html.Raw("</td></tr>");
        }

        html.Raw("</tbody></table></section>");
    }

    private static void Models(Html html, UiRequest request, string runId, List<(string Folder, string MLmodel, bool HasExample)> models)
    {
        if (models.Count == 0)
        {
            return;
        }

        html.Raw("<section><h2>Logged models</h2>");
        foreach (var (folder, text, hasExample) in models)
        {
            html.Raw("<article class=\"model\"><h3 class=\"mono\">").Text(folder.Length == 0 ? "(artifact root)" : folder).Raw("</h3>");
            var signature = Signature(text);
            if (signature is not null)
            {
                html.Raw("<h4>Signature</h4><pre>").Text(signature).Raw("</pre>");
            }

            html.Raw("<details><summary>MLmodel</summary><pre>").Text(text).Raw("</pre></details>");
            if (hasExample)
            {
                var path = folder.Length == 0 ? "input_example.json" : folder + "/input_example.json";
                html.Raw("<p><button type=\"button\" class=\"artifact-link\"").Attr("data-path", path).Raw(">Input example</button></p>");
            }

            html.Raw("</article>");
        }

        html.Raw("</section>");
    }

    /// <summary>The <c>signature:</c> block of an MLmodel file (its indented lines), or null.</summary>
    private static string? Signature(string mlmodel)
    {
        var lines = mlmodel.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("signature:", StringComparison.Ordinal));
        if (start < 0)
        {
            return null;
        }

        var block = new StringBuilder();
        for (var i = start + 1; i < lines.Length && (lines[i].StartsWith(' ') || lines[i].Length == 0); i++)
        {
            block.AppendLine(lines[i].TrimEnd('\r'));
        }

        return block.ToString().TrimEnd();
    }

    private static void Artifacts(Html html, UiRequest request, string runId, List<ArtifactFileInfo> entries, string? error, bool truncated)
    {
        html.Raw("<section class=\"artifacts\" aria-label=\"Artifacts\"").Attr("data-api", request.Url("/ui-api/artifact?run=" + Html.Q(runId))).Raw("><h2>Artifacts</h2>");
        if (error is not null)
        {
            html.Raw("<p class=\"notice error\">").Text(error).Raw("</p></section>");
            return;
        }

        if (entries.Count == 0)
        {
            html.Raw("<p class=\"empty\">None.</p></section>");
            return;
        }

        html.Raw("<div class=\"artifact-view\"><ul class=\"tree\" role=\"tree\">");
        var depth = 0;
        foreach (var entry in entries)
        {
            var level = entry.Path.Count(c => c == '/');
            for (; depth > level; depth--)
            {
                html.Raw("</ul></details></li>");
            }

            var leaf = entry.Path[(entry.Path.LastIndexOf('/') + 1)..];
            if (entry.IsDirectory)
            {
                html.Raw("<li><details").Raw(level == 0 ? " open" : string.Empty).Raw("><summary>").Text(leaf).Raw("</summary><ul>");
                depth++;
            }
            else
            {
                html.Raw("<li><button type=\"button\" class=\"artifact-link\"").Attr("data-path", entry.Path).Raw(">").Text(leaf).Raw("</button> <span class=\"muted\">")
                    .Text(Html.Bytes(entry.FileSize)).Raw("</span> <a class=\"download\"")
                    .Attr("href", request.Url("/ui-api/artifact?run=" + Html.Q(runId) + "&path=" + Html.Q(entry.Path) + "&download=1"))
                    .Attr("aria-label", "Download " + entry.Path).Raw(">↓</a></li>");
            }
        }

        for (; depth > 0; depth--)
        {
            html.Raw("</ul></details></li>");
        }

        html.Raw("</ul><div class=\"preview\" aria-live=\"polite\"><p class=\"muted\">Select a file to preview it.</p></div></div>");
        if (truncated)
        {
            html.Raw("<p class=\"muted\">").Text($"Only the first {MaxArtifactEntries} entries are listed.").Raw("</p>");
        }

        html.Raw("</section>");
    }

    /// <summary>Every artifact entry, depth first in path order, up to <see cref="MaxArtifactEntries"/>.</summary>
    private static async Task<(List<ArtifactFileInfo> Entries, string? Error, bool Truncated)> ListArtifactsAsync(UiRequest request, string artifactUri)
    {
        var entries = new List<ArtifactFileInfo>();
        try
        {
            var repository = request.Server.OpenArtifacts(artifactUri);
            var truncated = false;
            async Task WalkAsync(string path)
            {
                foreach (var entry in (await repository.ListAsync(path, request.Aborted).ConfigureAwait(false)).OrderBy(e => e.Path, StringComparer.Ordinal))
                {
                    if (entries.Count >= MaxArtifactEntries)
                    {
                        truncated = true;
                        return;
                    }

                    entries.Add(entry);
                    if (entry.IsDirectory)
                    {
                        await WalkAsync(entry.Path).ConfigureAwait(false);
                    }
                }
            }

            await WalkAsync(string.Empty).ConfigureAwait(false);
            return (entries, null, truncated);
        }
        catch (MlflowException e)
        {
            return (entries, "The artifacts cannot be listed: " + e.Message, false);
        }
    }

    private static async Task<string> ReadTextAsync(UiRequest request, string artifactUri, string path)
    {
        await using var stream = await request.Server.OpenArtifacts(artifactUri).OpenReadAsync(path, request.Aborted).ConfigureAwait(false);
        var buffer = new byte[MaxModelFileBytes];
        var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, request.Aborted).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
