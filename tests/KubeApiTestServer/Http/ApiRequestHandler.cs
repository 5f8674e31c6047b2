using System.Text;
using KubeApiTestServer.Objects;
using KubeApiTestServer.Selectors;
using Microsoft.AspNetCore.Http;

namespace KubeApiTestServer.Http;

/// <summary>
/// The single terminal middleware: response-delay knob, bearer-token authentication (401), routing (404),
/// the forbidden-kind knob (403), the not-installed knob (404), then LIST, WATCH, GET and the writes. Failures
/// become Status bodies.
/// </summary>
internal sealed class ApiRequestHandler(
    ObjectHandler objects,
    ListHandler lists,
    WatchHandler watches,
    ServerKnobs knobs,
    TimeProvider timeProvider,
    Action<RecordedRequest> record,
    CancellationToken serverStopping)
{
    private static readonly byte[] VersionBody = Encoding.UTF8.GetBytes(
        """{"major":"1","minor":"35","gitVersion":"v1.35.0-onehop-test","gitCommit":"0000000000000000000000000000000000000000","gitTreeState":"clean","buildDate":"2026-01-01T00:00:00Z","goVersion":"go1.25.0","compiler":"gc","platform":"linux/amd64"}""");

    public async Task HandleAsync(HttpContext context)
    {
        // Everything downstream sees one token that fires when the client goes away or the server stops, so a
        // stop never waits for a delayed answer or an open watch.
        var clientGone = context.RequestAborted;
        using var requestEnds = CancellationTokenSource.CreateLinkedTokenSource(clientGone, serverStopping);
        context.RequestAborted = requestEnds.Token;
        try
        {
            // The delay timer is armed before the request is recorded, so a test that waits for the record and
            // then advances a fake clock releases the request deterministically.
            var delay = knobs.ResponseDelay;
            var delayed = delay > TimeSpan.Zero ? Task.Delay(delay, timeProvider, context.RequestAborted) : Task.CompletedTask;
            Record(context);
            await delayed.ConfigureAwait(false);
            await DispatchAsync(context).ConfigureAwait(false);
        }
        catch (KubeApiException error) when (!context.Response.HasStarted)
        {
            await HttpResponses.WriteStatusAsync(context, error).ConfigureAwait(false);
        }
        catch (SelectorException error) when (!context.Response.HasStarted)
        {
            await HttpResponses.WriteStatusAsync(context, Statuses.BadRequest(error.Message)).ConfigureAwait(false);
        }
        catch (Exception error) when (error is OperationCanceledException or IOException && requestEnds.IsCancellationRequested)
        {
            if (!clientGone.IsCancellationRequested && !context.Response.HasStarted)
            {
                // The server is stopping before it could answer: the connection just goes away.
                context.Abort();
            }
        }
        catch (Exception error) when (!context.Response.HasStarted && error is not OperationCanceledException)
        {
            // A bug in the test server still answers like the real one does: a Status with code 500.
            await HttpResponses.WriteStatusAsync(context, Statuses.Failure(500, "InternalError", error.ToString())).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Value is "/version" or "/version/")
        {
            await HttpResponses.WriteAsync(context, 200, VersionBody).ConfigureAwait(false);
            return;
        }

        if (path.Value is "/healthz" or "/readyz" or "/livez")
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        Authenticate(context);
        var route = ApiRoute.Parse(path) ?? throw Statuses.UnknownPath();
        var query = ListQuery.Parse(context.Request.Query, route.LegacyWatch);
        var verb = Verb(context.Request.Method, route, query);
        if (knobs.IsForbidden(route.Kind.Id))
        {
            throw Statuses.Forbidden(route.Kind, verb, route.Namespace, route.Name, route.Subresource, knobs.UserName);
        }

        if (!knobs.IsInstalled(route.Kind.Id))
        {
            // A custom resource without its CRD: authorization came first (as on a real server), then nothing serves the path.
            throw Statuses.UnknownPath();
        }

        switch (verb)
        {
            case "list":
            case "watch":
                await ListOrWatchAsync(context, route, query).ConfigureAwait(false);
                break;
            case "get":
                await objects.GetAsync(context, route).ConfigureAwait(false);
                break;
            case "create":
                await objects.CreateAsync(context, route).ConfigureAwait(false);
                break;
            case "update":
                await objects.ReplaceAsync(context, route).ConfigureAwait(false);
                break;
            case "patch":
                await objects.PatchAsync(context, route).ConfigureAwait(false);
                break;
            default:
                await objects.DeleteAsync(context, route).ConfigureAwait(false);
                break;
        }
    }

    private async Task ListOrWatchAsync(HttpContext context, ApiRoute route, ListQuery query)
    {
        var errors = query.Validate(knobs.WatchListEnabled);
        if (errors.Count > 0)
        {
            throw Statuses.InvalidListOptions(errors);
        }

        var fieldSelector = query.FieldSelector;
        if (route.Name is not null)
        {
            // A watch on an item path is a watch of the collection narrowed to that name.
            var byName = "metadata.name=" + route.Name;
            fieldSelector = string.IsNullOrEmpty(fieldSelector) ? byName : fieldSelector + "," + byName;
        }

        var filter = ObjectFilter.Parse(route.Kind, query.LabelSelector, fieldSelector);
        if (query.Watch)
        {
            await watches.HandleAsync(context, route, query, filter).ConfigureAwait(false);
        }
        else
        {
            await lists.HandleAsync(context, route, query, filter).ConfigureAwait(false);
        }
    }

    private void Record(HttpContext context)
    {
        var request = context.Request;
        var watch = request.Query.TryGetValue("watch", out var values) && values.Count > 0
            && values[0] is not "0" && !string.Equals(values[0], "false", StringComparison.OrdinalIgnoreCase);
        watch |= ApiRoute.Parse(request.Path)?.LegacyWatch == true;
        record(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "")
        {
            IsWatch = watch && HttpMethods.IsGet(request.Method),
        });
    }

    private void Authenticate(HttpContext context)
    {
        var expected = knobs.BearerToken;
        if (expected is null)
        {
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !string.Equals(header["Bearer ".Length..].Trim(), expected, StringComparison.Ordinal))
        {
            throw Statuses.Unauthorized();
        }
    }

    private static string Verb(string method, ApiRoute route, ListQuery query)
    {
        var item = !route.IsCollection;
        var namespacedCollection = !route.Kind.Namespaced || route.Namespace is not null;
        return method switch
        {
            _ when HttpMethods.IsGet(method) && query.Watch => "watch",
            _ when HttpMethods.IsGet(method) => item ? "get" : "list",
            _ when HttpMethods.IsPost(method) && !item && namespacedCollection => "create",
            _ when HttpMethods.IsPut(method) && item => "update",
            _ when HttpMethods.IsPatch(method) && item => "patch",
            _ when HttpMethods.IsDelete(method) && item && route.Subresource is null => "delete",
            _ => throw Statuses.MethodNotAllowed(),
        };
    }
}
