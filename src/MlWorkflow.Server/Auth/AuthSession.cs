using Microsoft.AspNetCore.Http;

namespace MlWorkflow.Server.Auth;

/// <summary>
/// The authenticated caller of one request, kept in <see cref="HttpContext.Features"/>, through which endpoints filter lists
/// and record the creator of what they create; every method does nothing on a server without auth.
/// </summary>
internal sealed class AuthSession(AuthUser user, AccessControl access)
{
    public AuthUser User => user;

    public AccessControl Access => access;

    public static AuthSession? Of(HttpContext context) => context.Features.Get<AuthSession>();

    /// <summary>The items of a list the caller may read (all of them without auth or for an admin).</summary>
    public static async Task<IReadOnlyList<T>> ReadableAsync<T>(HttpContext context, ResourceKind kind, IReadOnlyList<T> items, Func<T, string> resource)
    {
        if (Of(context) is not { } session || session.User.IsAdmin || items.Count == 0)
        {
            return items;
        }

        var readable = await session.Access.ReadableAsync(session.User, kind, context.RequestAborted).ConfigureAwait(false);
        return [.. items.Where(i => readable(resource(i)))];
    }

    /// <summary>
    /// A page of a search that lists only what the caller may read, refilled as MLflow's auth app does: further store pages
    /// (each asking for the items still missing, so that the store's token stays exact) until <paramref name="maxResults"/>
    /// items or the end; at most 100 store pages per call, after which the page is returned short with its token.
    /// </summary>
    public static async Task<PagedList<T>> ReadablePageAsync<T>(HttpContext context, ResourceKind kind, int maxResults, string? pageToken, Func<int, string?, Task<PagedList<T>>> fetch, Func<T, string> resource)
    {
        if (Of(context) is not { } session || session.User.IsAdmin)
        {
            return await fetch(maxResults, pageToken).ConfigureAwait(false);
        }

        var readable = await session.Access.ReadableAsync(session.User, kind, context.RequestAborted).ConfigureAwait(false);
        var items = new List<T>();
        var token = pageToken;
        for (var pages = 0; pages < 100; pages++)
        {
            var page = await fetch(maxResults - items.Count, token).ConfigureAwait(false);
            items.AddRange(page.Items.Where(i => readable(resource(i))));
            token = page.NextPageToken;
            if (token is null || items.Count >= maxResults)
            {
                break;
            }
        }

        return new PagedList<T>(items, token);
    }

    /// <summary>MLflow's post-handler of experiment and model creation: the caller (admins too) gets MANAGE on what they created.</summary>
    public static Task CreatedAsync(HttpContext context, ResourceKind kind, string resource) =>
        Of(context) is { } session
            ? session.Access.Store.GrantCreatorAsync(kind, resource, session.User.Id, CancellationToken.None)
            : Task.CompletedTask;

    /// <summary>After a model is deleted, its records go too, so that they do not apply to a future model of the same name.</summary>
    public static Task ModelDeletedAsync(HttpContext context, string name) =>
        Of(context) is { } session ? session.Access.Store.ForgetModelAsync(name, CancellationToken.None) : Task.CompletedTask;

    /// <summary>After a model is renamed, its records follow it.</summary>
    public static Task ModelRenamedAsync(HttpContext context, string name, string newName) =>
        Of(context) is { } session ? session.Access.Store.RenameModelAsync(name, newName, CancellationToken.None) : Task.CompletedTask;
}
