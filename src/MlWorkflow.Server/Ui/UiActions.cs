using System.Globalization;
using Microsoft.AspNetCore.Http;
using MlWorkflow.Tracking.Registry;

namespace MlWorkflow.Server.Ui;

/// <summary>
/// The UI's state-changing actions, posted by its forms: each checks the form token and the origin, calls the same store the
/// API serves, then sends the browser back (303) to the page it came from with what happened (or what went wrong).
/// </summary>
internal static class UiActions
{
    public static async Task HandleAsync(UiRequest request, string action)
    {
        var context = request.Context;
        UiLayout.SecurityHeaders(context);
        if (!context.Request.HasFormContentType)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await context.Response.WriteAsync("UI actions take HTML form posts.", request.Aborted).ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(request.Aborted).ConfigureAwait(false);
        if (!request.IsSameOriginPost(form[UiRequest.TokenField]))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Refused: this form did not come from this server's own pages (its token or origin does not match). Reload the page and try again.", request.Aborted).ConfigureAwait(false);
            return;
        }

        var back = ReturnPath(request, form["return"]);
        string? message;
        try
        {
            (message, back) = await ApplyAsync(request, action, form, back).ConfigureAwait(false);
        }
        catch (MlflowException e) when (e.HttpStatus < 500)
        {
            Redirect(context, back, "error", request.Server.Redact(e.Message));
            return;
        }

        Redirect(context, back, "msg", message);
    }

    private static async Task<(string? Message, string Back)> ApplyAsync(UiRequest request, string action, IFormCollection form, string back)
    {
        var store = request.Server.Store;
        var token = CancellationToken.None; // A write that started completes, as the API's do.
        string Field(string name) => form[name] is { Count: > 0 } v && !string.IsNullOrWhiteSpace(v[0])
            ? v[0]!.Trim()
            : throw MlflowException.InvalidParameter($"The form has no '{name}': fill it in and send it again.");

        switch (action)
        {
            case "experiment-create":
                var id = await store.CreateExperimentAsync(Field("name"), cancellationToken: token).ConfigureAwait(false);
                await Auth.AuthSession.CreatedAsync(request.Context, Auth.ResourceKind.Experiment, id).ConfigureAwait(false);
                return ($"Experiment '{Field("name")}' created.", request.Url("/experiments/" + Html.Q(id)));
            case "experiment-rename":
                await store.RenameExperimentAsync(Field("id"), Field("name"), token).ConfigureAwait(false);
                return ($"Experiment renamed to '{Field("name")}'.", back);
            case "experiment-delete":
                if (Field("id") == Experiment.DefaultExperimentId)
                {
                    throw MlflowException.InvalidParameter("The default experiment cannot be deleted.");
                }

                await store.DeleteExperimentAsync(Field("id"), token).ConfigureAwait(false);
                return ("Experiment deleted; tick 'deleted ones' to find and restore it.", back);
            case "experiment-restore":
                await store.RestoreExperimentAsync(Field("id"), token).ConfigureAwait(false);
                return ("Experiment restored.", back);
            case "runs":
                var runs = form["run"].Where(r => !string.IsNullOrEmpty(r)).Select(r => r!).Distinct(StringComparer.Ordinal).ToList();
                if (runs.Count == 0)
                {
                    throw MlflowException.InvalidParameter("No runs were selected: tick the runs first.");
                }

                switch (form["op"].ToString())
                {
                    case "compare":
                        return (null, request.Url("/compare?" + string.Join('&', runs.Take(ComparePage.MaxRuns).Select(r => "run=" + Html.Q(r)))));
                    case "delete":
                        foreach (var run in runs)
                        {
                            await store.DeleteRunAsync(run, token).ConfigureAwait(false);
                        }

                        return ($"{runs.Count} runs deleted; tick 'deleted runs' to find and restore them.", back);
                    case "restore":
                        foreach (var run in runs)
                        {
                            await store.RestoreRunAsync(run, token).ConfigureAwait(false);
                        }

                        return ($"{runs.Count} runs restored.", back);
                    default:
                        throw MlflowException.InvalidParameter("Unknown operation on runs: use Compare, Delete or Restore.");
                }

            case "model-transition":
                var stage = ModelVersionStages.TryParse(Field("stage"), out var parsed) ? parsed : throw MlflowException.InvalidParameter("Unknown stage: choose None, Staging, Production or Archived.");
                var version = Version(Field("version"));
                var archive = form["archive"] == "true";
                await RequireRegistry(request).TransitionModelVersionStageAsync(Field("name"), version, stage, archive, token).ConfigureAwait(false);
                return ($"Version {version} of '{Field("name")}' is now in {stage.ToWireName()}" + (archive ? "; the others there were archived." : "."), back);
            case "alias-set":
                await RequireRegistry(request).SetRegisteredModelAliasAsync(Field("name"), Field("alias"), Version(Field("version")), token).ConfigureAwait(false);
                return ($"Alias '@{Field("alias")}' now points at version {Field("version")}.", back);
            case "alias-delete":
                await RequireRegistry(request).DeleteRegisteredModelAliasAsync(Field("name"), Field("alias"), token).ConfigureAwait(false);
                return ($"Alias '@{Field("alias")}' removed.", back);
            default:
                throw MlflowException.NotFound("Unknown UI action.");
        }
    }

    private static IModelRegistryStore RequireRegistry(UiRequest request) => request.Server.RequireRegistry();

    private static int Version(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0
            ? version
            : throw MlflowException.InvalidParameter("The version must be a positive whole number.");

    /// <summary>Where to send the browser back: a path of this UI only (never another site, whatever the form says).</summary>
    private static string ReturnPath(UiRequest request, string? requested)
    {
        var root = request.Url("/");
        if (string.IsNullOrEmpty(requested) || !requested.StartsWith(root, StringComparison.Ordinal) || requested.StartsWith("//", StringComparison.Ordinal) || requested.Contains('\\', StringComparison.Ordinal))
        {
            return root;
        }

        // Drop the notice of the previous action, so that it does not stay once the next one is done.
        var question = requested.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return requested;
        }

        var kept = requested[(question + 1)..].Split('&').Where(p => !p.StartsWith("msg=", StringComparison.Ordinal) && !p.StartsWith("error=", StringComparison.Ordinal));
        var query = string.Join('&', kept);
        return query.Length == 0 ? requested[..question] : requested[..question] + "?" + query;
    }

    private static void Redirect(HttpContext context, string back, string kind, string? message)
    {
        var target = message is null ? back : back + (back.Contains('?', StringComparison.Ordinal) ? "&" : "?") + kind + "=" + Html.Q(message.Length > 500 ? message[..500] + "…" : message);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = target;
    }
}
