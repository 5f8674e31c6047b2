using System.Text.Json;
using System.Text.Json.Nodes;
using KubeApiTestServer.Json;
using KubeApiTestServer.Objects;
using KubeApiTestServer.Pagination;
using KubeApiTestServer.Selectors;
using KubeApiTestServer.Storage;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>
/// LIST (contract section 3): resourceVersion / resourceVersionMatch semantics, limit/continue pagination over
/// a consistent snapshot with real continue tokens, selectors, items ordered by storage key without type meta.
/// </summary>
internal sealed class ListHandler(ObjectStore store, ServerKnobs knobs, ContinueTokenRegistry tokens, TimeProvider timeProvider)
{
    private const string ListTooOld = "The resourceVersion for the provided list is too old.";

    private const string ContinueTooOld =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.";

    public async Task HandleAsync(HttpContext context, ApiRoute route, ListQuery query, ObjectFilter filter)
    {
        var allNamespaces = route.Kind.Namespaced && route.Namespace is null;
        var (snapshot, startKey) = await ResolveSnapshotAsync(route, query, allNamespaces, context.RequestAborted).ConfigureAwait(false);
        var limit = query.Limit is > 0 ? query.Limit.Value : long.MaxValue;

        var page = new List<StoredObject>();
        string? continueToken = null;
        long? remaining = null;
        var items = snapshot.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var key = items[i].Key.RelativeKey(allNamespaces);
            if (startKey is not null && string.CompareOrdinal(key, startKey) < 0)
            {
                continue;
            }

            if (page.Count == limit)
            {
                var last = page[^1].Key.RelativeKey(allNamespaces);
                continueToken = tokens.Issue(ContinueToken.After(snapshot.ResourceVersion, last));
                if (filter.IsEmpty)
                {
                    remaining = items.Count - i;
                }

                break;
            }

            if (filter.Matches(items[i]))
            {
                page.Add(items[i]);
            }
        }

        var body = JsonObjects.ToCompactBytes(writer => WriteList(writer, route, snapshot.ResourceVersion, continueToken, remaining, page));
        await HttpResponses.WriteAsync(context, 200, body).ConfigureAwait(false);
    }

    private static void WriteList(
        Utf8JsonWriter writer, ApiRoute route, long resourceVersion, string? continueToken, long? remaining, List<StoredObject> page)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", route.Kind.ListKind);
        writer.WriteString("apiVersion", route.Kind.ApiVersion);
        writer.WriteStartObject("metadata");
        writer.WriteString("resourceVersion", JsonObjects.FormatRv(resourceVersion));
        if (continueToken is not null)
        {
            writer.WriteString("continue", continueToken);
        }

        if (remaining is not null)
        {
            writer.WriteNumber("remainingItemCount", remaining.Value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("items");
        foreach (var item in page)
        {
            JsonObjects.WriteObject(writer, item.Json, includeTypeMeta: false);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private async Task<(Snapshot Snapshot, string? StartKey)> ResolveSnapshotAsync(
        ApiRoute route, ListQuery query, bool allNamespaces, CancellationToken cancellationToken)
    {
        if (query.Continue is { } text)
        {
            return ResolveContinue(route, query, text, allNamespaces);
        }

        var rv = query.ResourceVersion;
        if (string.IsNullOrEmpty(rv) || rv == "0")
        {
            return (store.List(route.Kind, route.Namespace), null);
        }

        var requested = ListQuery.ParseResourceVersion(rv);
        await WaitForResourceVersionAsync(requested, cancellationToken).ConfigureAwait(false);
        var exact = query.ResourceVersionMatch == "Exact" || (query.ResourceVersionMatch is null && query.Limit is > 0);
        if (!exact)
        {
            var current = store.List(route.Kind, route.Namespace);
            return current.ResourceVersion < requested
                ? throw Statuses.TooLargeResourceVersion(requested, current.ResourceVersion)
                : (current, null);
        }

        var snapshot = store.ListAt(route.Kind, route.Namespace, requested) ?? throw Statuses.Expired(ListTooOld);
        return (snapshot, null);
    }

    private (Snapshot Snapshot, string? StartKey) ResolveContinue(ApiRoute route, ListQuery query, string text, bool allNamespaces)
    {
        if (!string.IsNullOrEmpty(query.ResourceVersion) && query.ResourceVersion != "0")
        {
            throw Statuses.BadRequest("specifying resource version is not allowed when using continue");
        }

        ContinueToken token;
        try
        {
            token = ContinueToken.Decode(text);
        }
        catch (FormatException e)
        {
            throw Statuses.BadRequest($"invalid continue token: {e.Message}");
        }

        if (token.ResourceVersion < 0)
        {
            return (store.List(route.Kind, route.Namespace), token.StartKey);
        }

        var snapshot = tokens.IsExpired(text, knobs.ContinueTokenTtl)
            ? null
            : store.ListAt(route.Kind, route.Namespace, token.ResourceVersion);
        if (snapshot is null)
        {
            var fresh = store.List(route.Kind, route.Namespace);
            var remaining = fresh.Items.Count(i => string.CompareOrdinal(i.Key.RelativeKey(allNamespaces), token.StartKey) >= 0);
            var listMeta = new JsonObject();
            if (remaining > 0)
            {
                listMeta["continue"] = new ContinueToken(-1, token.StartKey).Encode();
                listMeta["remainingItemCount"] = remaining;
            }

            throw Statuses.Expired(ContinueTooOld, listMeta);
        }

        return (snapshot, token.StartKey);
    }

    private Task<bool> WaitForResourceVersionAsync(long requested, CancellationToken cancellationToken) =>
        store.TryWaitForResourceVersionAsync(requested, knobs.TooLargeResourceVersionWait, timeProvider, cancellationToken);
}
