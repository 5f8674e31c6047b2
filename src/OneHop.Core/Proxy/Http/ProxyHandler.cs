using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OneHop.Core.Balancing;
using OneHop.Core.Configuration;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http.AccessLog;
using OneHop.Core.Proxy.Http.Compression;
using OneHop.Core.Proxy.Http.Tracing;
using OneHop.Core.Proxy.Http1;
using OneHop.Core.Routing;
using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// The request path, end to end: the route (OneHop's own <see cref="RouteTable"/>, one match), its backend's available
/// destinations, then attempts — a picker chooses, a forwarder carries the bytes, and this class does what every
/// attempt needs whichever forwarder it took: the pod's in-flight count and latency estimate, passive health, metrics,
/// and a retry on a pod not yet tried when that is safe and the retry budget allows:
/// <list type="bullet">
/// <item>connect failures (nothing was sent): any request;</item>
/// <item>resets, malformed answers, TLS failures before an answer, and 502/503 answers (held back by the forwarder):
/// idempotent requests without a body.</item>
/// </list>
/// A route's own retry (Gateway API's HTTPRoute <c>retry</c>) replaces these rules with its codes, attempts and backoff,
/// retries attempts past <c>timeouts.backendRequest</c> too, and may go back to a pod already tried.
/// What the client caused is never retried nor blamed on the pod. A failure that left the response unstarted after
/// the last attempt is answered by <see cref="ErrorResponses"/> (503 / 502 / 504 with <c>X-OneHop-Error</c>).
/// </summary>
internal sealed partial class ProxyHandler(HttpDataPlane dataPlane, Pickers pickers, Forwarders forwarders, OutlierDetector outliers, ProxyMetrics metrics, HttpAccessLog accessLog, HttpTracing tracing, RequestMirrors mirrors, ExternalAuthorizer externalAuth, TimeProvider time)
{
    /// <summary>The latency an attempt the pod failed counts as at least: failing fast must not make a pod look fast.</summary>
    internal static readonly TimeSpan FailurePenalty = TimeSpan.FromSeconds(1);

    /// <remarks>
    /// Not async itself, and the attempt's accounting is inlined in <see cref="ProxyAsync"/>: each async frame a request
    /// passes through allocates its state machine once it waits, so the request path has as few as it can.
    /// </remarks>
    public Task InvokeAsync(HttpContext context)
    {
        var routing = dataPlane.Routing;
        var request = context.Request;
        if (request.IsHttps && routing.Table.HasHttpsGatewayPorts
            && routing.Table.Misdirected(context.Connection.LocalPort, request.Host.Value, context.Features.Get<ITlsHandshakeFeature>()?.HostName))
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, ErrorCodes.Misdirected, "the host of this request is served by another listener than its TLS server name; open a connection for it");
        }

        var record = accessLog.Enabled ? context.Features.Get<HttpAccessRecord>() : null;
        var index = routing.Table.MatchIndex(request.Host.Value, request.Path.Value, context.Connection.LocalPort, new HttpRequestFacts(request), context.Connection.LocalIpAddress);
        if (index == RouteTable.NoMatch)
        {
            metrics.NoRoute();
            return ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, ErrorCodes.NoRoute, "no route for this host and path");
        }

        var route = routing.Table.Routes[index];
        if (route.GeneratesRequestId)
        {
            RequestIds.Ensure(request.Headers, pickers.Context.Random);
        }

        if (route.AddsOriginalUri)
        {
            // ingress-nginx's proxy_set_header X-Original-URI $request_uri: the target as sent, whatever a client put there.
            request.Headers[ErrorPageRequest.OriginalUri] = RequestVariables.RequestUri(context);
        }

        if (record is not null)
        {
            record.Route = route.Source;
            record.Unlogged = route.WithoutAccessLog || (route.AccessLogSkips is { } skips && Skipped(context, skips));
        }

        // ingress-nginx's block-user-agents and block-referers: a server-level return, before anything of the location.
        if (route.Filters?.Blocks is { } blocks && blocks.Refuses(request.Headers.UserAgent.ToString(), request.Headers.Referer.ToString()))
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Blocked, "requests with this User-Agent or Referer are refused");
        }

        // nginx checks client_max_body_size when it finds the location, before any return or access check.
        if (route.Filters?.MaxRequestBodySize is { } bodyLimit && !RouteFilterActions.LimitBody(context, bodyLimit))
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.BadRequestBody, "the request body is larger than this route allows", closeConnection: true);
        }

        // ASP.NET Core counts the request (http.server.request.duration) once it is answered, whoever answers it: these
        // labels say which route it took. Null when no one listens to metrics.
        var metricTags = context.Features.Get<IHttpMetricsTagsFeature>()?.Tags;
        if (metricTags is not null)
        {
            var labels = routing.LabelsByRoute[index];
            metricTags.Add(new("namespace", labels.Namespace));
            metricTags.Add(new("route", labels.Route));
            metricTags.Add(new("http.route", labels.Template));
        }

        if (route.Filters?.Redirect is { } redirect)
        {
            return RouteFilterActions.RedirectAsync(context, route, redirect);
        }

        if (route.Filters?.Cors is { } cors && RouteFilterActions.TryAnswerPreflight(context, cors, out var preflight))
        {
            return preflight;
        }

        // nginx's preaccess phase: after redirects and preflights, before the source lists and authentication.
        if (route.Filters?.RateLimit is not null && routing.RateLimitsByRoute[index] is { } limiter)
        {
            if (!limiter.TryAcquire(context.Connection.RemoteIpAddress, out var inProgress, out var refusal))
            {
                return ErrorResponses.WriteAsync(context, refusal, ErrorCodes.RateLimited, "this client address is over the route's request limit");
            }

            if (inProgress is not null)
            {
                return HoldingAsync(inProgress, context, routing, index, route, record);
            }
        }

        return Admit(context, routing, index, route, record);
    }

    /// <summary>The request, after its route's limits: access control, authentication, then forwarding.</summary>
    private Task Admit(HttpContext context, HttpRouting routing, int index, Route route, HttpAccessRecord? record)
    {
        var request = context.Request;

        // After redirects and preflights, as nginx's access phase comes after its rewrite phase's returns.
        if (route.Filters?.SourceRanges is { } ranges)
        {
            var address = context.Connection.RemoteIpAddress;

            // satisfy any: an allowed address skips authentication; any other must authenticate instead of a 403.
            var orAuthenticated = ranges.OrAuthenticated && AuthenticationRuns(routing, index, route);
            if (orAuthenticated && ranges.AllowsByEntry(address))
            {
                return Forward(context, routing, index, route, record);
            }

            if (!orAuthenticated && !ranges.Permits(address))
            {
                return ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.SourceDenied, "the client address may not use this route");
            }
        }

        if (route.Filters?.BasicAuth is not null && routing.BasicAuthByRoute[index] is { } basic && !basic.Admits(request.Headers.Authorization))
        {
            return basic.Auth.Problem is { } unusable
                ? ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.AuthUnavailable, unusable)
                : ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, "this route needs a user and password", challenge: basic.Challenge);
        }

        return route.Filters?.ExternalAuth is not null && routing.ExternalAuthByRoute[index] is { } external
            ? AuthorizeThenForwardAsync(context, routing, index, route, record, external)
            : Forward(context, routing, index, route, record);
    }

    /// <summary>Whether the request's path and query as sent are among the route's not logged (no string made for a target as sent).</summary>
    private static bool Skipped(HttpContext context, MapPatterns skips)
    {
        var raw = RawTargets.PathAndQuery(context.Features.Get<IHttpRequestFeature>()?.RawTarget);
        return skips.Matches(raw.IsEmpty ? RequestVariables.RequestUri(context) : raw);
    }

    /// <summary>Whether an authentication check runs for the route: only then may satisfy any let a refused address try it.</summary>
    private static bool AuthenticationRuns(HttpRouting routing, int index, Route route) =>
        (route.Filters?.BasicAuth is not null && routing.BasicAuthByRoute[index] is not null)
        || (route.Filters?.ExternalAuth is not null && routing.ExternalAuthByRoute[index] is not null);

    /// <summary>Holds a permit of limit-connections until the request is done.</summary>
    private async Task HoldingAsync(System.Threading.RateLimiting.RateLimitLease inProgress, HttpContext context, HttpRouting routing, int index, Route route, HttpAccessRecord? record)
    {
        using (inProgress)
        {
            await Admit(context, routing, index, route, record);
        }
    }

    /// <summary>The route's authentication service first; the request goes on only when it says so.</summary>
    private async Task AuthorizeThenForwardAsync(HttpContext context, HttpRouting routing, int index, Route route, HttpAccessRecord? record, ExternalAuthCheck check)
    {
        if (await externalAuth.AuthorizeAsync(context, check, pickers.Context.Random))
        {
            await Forward(context, routing, index, route, record);
        }
    }

    /// <summary>The request, admitted: its backend, its filters, then attempts.</summary>
    private Task Forward(HttpContext context, HttpRouting routing, int index, Route route, HttpAccessRecord? record)
    {
        var backend = routing.BackendsByRoute[index];
        string? problem = null;
        RouteFilters? backendFilters = null;
        if (backend is null && routing.SplitsByRoute[index] is { } split)
        {
            backend = split.Pinned(context.Request, pickers.Affinity, out backendFilters) ?? split.Pick(pickers.Context.Random, out problem, out backendFilters);
        }

        if (backend is null)
        {
            // Gateway API: the share of a rule whose backend does not resolve (or a rule without one) is answered 500.
            return ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, ErrorCodes.NoBackend, problem ?? $"route {route.Id} has no backend");
        }

        if (backendFilters?.Redirect is { } redirect)
        {
            // The backendRef's RequestRedirect: answered as a rule's is, from the client's request; nothing is forwarded,
            // so the rule's request edits, rewrite and mirrors have nothing to act on.
            return RouteFilterActions.RedirectAsync(context, route, redirect);
        }

        record?.Backend = backend.Name;
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new("service", backend.Name));
        if (tracing.Enabled)
        {
            AttemptSpans.Routed(context, route, backend.Name);
        }

        var available = backend.Available();
        var errorPages = route.Filters?.ErrorPages is null ? null : routing.ErrorPagesByRoute[index];
        var fallback = false;
        if (available.Count == 0)
        {
            // ingress-nginx's default-backend takes the requests of a Service without endpoints; custom-http-errors may
            // replace the 503 of one without default-backend.
            if (errorPages?.Backend.Available() is { Count: > 0 } answering)
            {
                if (errorPages.Pages.Fallback)
                {
                    (backend, available, fallback) = (errorPages.Backend, answering, true);
                    record?.Backend = backend.Name;
                }
                else if (errorPages.Pages.Replaces(StatusCodes.Status503ServiceUnavailable))
                {
                    return ErrorPageAsync(new ProxyRequest(context) { AccessRecord = record }, routing, errorPages, StatusCodes.Status503ServiceUnavailable, context.RequestAborted);
                }
            }

            if (!fallback)
            {
                metrics.NoEndpoints(backend.Name);
                return ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NoEndpoints, backend.Backend.Problem ?? $"no ready endpoints for {backend.Name}");
            }
        }

        var proxyRequest = ProxyRequest.For(context);
        (proxyRequest.AccessRecord, proxyRequest.Retry) = (record, route.Retry);
        context.Features.Set(proxyRequest);
        if (route.Compression is { } compression && CompressionRules.MayCompress(context))
        {
            // Before the route's header filters: the coding answers the client's Accept-Encoding, as nginx's gzip does.
            proxyRequest.Compress(compression);
        }

        if (errorPages is not null && !errorPages.Pages.Codes.IsEmpty)
        {
            proxyRequest.ErrorPages = errorPages;
            proxyRequest.OriginalTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        }

        if (route.Filters is { } filters)
        {
            RouteFilterActions.ApplyToRequest(context, proxyRequest, route, filters);
            if (filters.Mirrors is { Length: > 0 } copies)
            {
                mirrors.Send(context, routing, copies, pickers.Context.Random);
            }
        }

        if (backendFilters is not null)
        {
            // The backendRef's own header edits and rewrite, after the rule's as the spec orders them; mirrors got the rule's alone.
            RouteFilterActions.ApplyToRequest(context, proxyRequest, route, backendFilters);
        }

        if (fallback)
        {
            ErrorPageRequest.ForFallback(context, errorPages!.Pages, pickers.Context.Random);
        }

        StartLoop(proxyRequest, routing, route, backend, available);
        return route.ResponseRate is { } rate ? ProceedPacedAsync(proxyRequest, rate)
            : proxyRequest.Compresses ? ProceedCompressed(proxyRequest) : Proceed(proxyRequest);
    }

    /// <summary>The attempts, within the route's time limit when it has one.</summary>
    private Task Proceed(ProxyRequest request) => request.Loop.Route.Timeout is { } timeout ? ProxyWithTimeoutAsync(request, timeout) : ProxyAsync(request);

    /// <summary>The attempt loop's start: how many attempts the request may take, with which picker and forwarder.</summary>
    private void StartLoop(ProxyRequest request, HttpRouting routing, Route route, BackendState backend, DestinationSet available)
    {
        var context = request.Context;
        var policy = backend.Policy.Retry;
        backend.Budget.RecordRequest();
        ref var loop = ref request.Loop;
        (loop.Routing, loop.Route, loop.Backend, loop.Available, loop.Candidates) = (routing, route, backend, available, available);
        loop.CancellationToken = context.RequestAborted;

        // A route's own retry may go back to a pod already tried (the suite's retry backend is one pod), and may repeat a
        // request of any method its owner chose to retry; OneHop's own goes to other pods, idempotent requests only.
        var retry = route.Retry;
        loop.MaxAttempts = retry is null ? Math.Max(1, Math.Min(policy.Attempts, available.Count)) : 1 + (retry.Attempts ?? (policy.Attempts - 1));
        loop.Replayable = loop.MaxAttempts > 1 && (retry is not null || RequestRetryability.IsIdempotent(context.Request.Method)) && RequestRetryability.HasNoBody(context.Request);
        loop.Picker = pickers.For(backend.Policy.LoadBalancing);
        loop.Forwarder = forwarders.For(backend, context);
        loop.Attempt = 1;
    }

    private async Task ProxyWithTimeoutAsync(ProxyRequest proxyRequest, TimeSpan timeout)
    {
        var context = proxyRequest.Context;
        var backend = proxyRequest.Loop.Backend.Name;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        proxyRequest.Loop.CancellationToken = deadline.Token;
        try
        {
            await ProxyAsync(proxyRequest);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            await ErrorResponses.WriteAsync(context, AttemptOutcome.Timeout, backend, attempts: 1);
        }
    }

    /// <remarks>
    /// The attempt loop. Its async state machine is boxed once per request (the box is the Task Kestrel waits on), so it
    /// holds the request and the attempt's outcome and nothing else: the loop's state is in <see cref="ProxyRequest.Loop"/>
    /// and its steps are synchronous methods (bench/alloc.sh). A Task, not a pooled ValueTask: with 64 requests in flight
    /// the pool's per-core cache misses and the pooled box plus the caller's AsTask wrapper cost more (RESULTS.md).
    /// </remarks>
    private async Task ProxyAsync(ProxyRequest request)
    {
        try
        {
            while (true)
            {
                if (!BeginAttempt(request) && !await QueueAsync(request))
                {
                    return;
                }

                var outcome = AttemptOutcome.ClientAbort;
                try
                {
                    outcome = await SendAttempt(request);
                }
                finally
                {
                    EndAttempt(request, outcome);
                }

                var step = NextStep(request, outcome);
                if (step == AttemptStep.Finish)
                {
                    await FinishAsync(request, outcome);
                    return;
                }

                if (step == AttemptStep.BackOff && !await BackOffAsync(request.Loop.Backoff, request.Context, request.Loop.CancellationToken))
                {
                    return;
                }
            }
        }
        finally
        {
            request.Release();
        }
    }

    /// <summary>
    /// One attempt's start: the pod, and its accounting (in flight, the clock, the span). False, with nothing begun, when
    /// the backend is capped and every candidate is full: the request waits in its queue (<see cref="QueueAsync"/>).
    /// </summary>
    private bool BeginAttempt(ProxyRequest request)
    {
        ref var loop = ref request.Loop;
        var backend = loop.Backend;
        var destination = loop.Picker.Pick(backend, loop.Candidates, request) ?? loop.Candidates[0];
        if (backend.Queue is { } queue)
        {
            if (queue.TryTake(destination, loop.Candidates, backend.Policy.MaxPerEndpoint) is not { } admitted)
            {
                return false;
            }

            if (!ReferenceEquals(admitted, destination) && backend.Policy.LoadBalancing == BalancingAlgorithms.Cookie)
            {
                pickers.Affinity.Repin(backend, admitted, request);
            }

            (destination, loop.Slot) = (admitted, queue);
        }

        Begin(request, destination);
        return true;
    }

    /// <summary>
    /// Waits in the capped backend's queue for a slot, then begins the attempt on it. False when the request is done:
    /// refused 503 (the queue full, or no slot within its timeout), or the client went away; the route's own deadline
    /// throws, as during an attempt, and is answered 504.
    /// </summary>
    private async Task<bool> QueueAsync(ProxyRequest request)
    {
        var context = request.Context;
        var backend = request.Loop.Backend;
        QueueTicket ticket;
        var waited = time.GetTimestamp();
        try
        {
            ticket = await backend.Queue!.WaitAsync(request.Loop.Tried, request.Loop.CancellationToken);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            request.AccessRecord?.QueueTime += time.GetElapsedTime(waited).TotalSeconds;
            return false;
        }

        if (ticket.Outcome != QueueOutcome.Full)
        {
            request.AccessRecord?.QueueTime += time.GetElapsedTime(waited).TotalSeconds;
        }

        if (ticket.Outcome != QueueOutcome.Granted)
        {
            var full = ticket.Outcome == QueueOutcome.Full;
            metrics.QueueRefused(backend.Name, full ? "full" : "timeout");
            if (request.ErrorPages is { } errorPages && errorPages.Pages.Replaces(StatusCodes.Status503ServiceUnavailable) && errorPages.Backend.Available().Count > 0)
            {
                // custom-http-errors replaces OneHop's own 503s, this one too.
                await ErrorPageAsync(request, request.Loop.Routing, errorPages, StatusCodes.Status503ServiceUnavailable, request.Loop.CancellationToken);
                return false;
            }

            var limit = backend.Policy.Concurrency!;
            await ErrorResponses.WriteAsync(
                context,
                StatusCodes.Status503ServiceUnavailable,
                full ? ErrorCodes.EndpointsFull : ErrorCodes.QueueTimeout,
                full ? $"every endpoint of {backend.Name} carries its {limit.MaxPerEndpoint} requests and {limit.QueueSize} wait already"
                    : $"no endpoint of {backend.Name} had room within {Durations.Format(limit.QueueTimeout)}");
            return false;
        }

        ref var loop = ref request.Loop;
        if (ticket.Backend is { } current && !ReferenceEquals(current, loop.Backend))
        {
            // Granted from the snapshot that came while it waited: the attempt goes on with that backend state.
            var available = current.Available();
            (loop.Backend, loop.Available, loop.Picker) = (current, available, pickers.For(current.Policy.LoadBalancing));
            loop.Candidates = loop.Tried is { Count: > 0 } tried ? available.Narrow(tried) : available;
            loop.Forwarder = forwarders.For(current, context);
        }

        var destination = ticket.Destination;
        if (destination is null)
        {
            // The cap was lifted while it waited: picked as any request.
            var from = loop.Candidates.Count > 0 ? loop.Candidates : loop.Available;
            if (from.Count == 0)
            {
                metrics.NoEndpoints(loop.Backend.Name);
                await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NoEndpoints, $"no ready endpoints for {loop.Backend.Name}");
                return false;
            }

            destination = loop.Picker.Pick(loop.Backend, from, request) ?? from[0];
        }
        else
        {
            loop.Slot = backend.Queue;
            if (loop.Backend.Policy.LoadBalancing == BalancingAlgorithms.Cookie)
            {
                pickers.Affinity.Repin(loop.Backend, destination, request);
            }
        }

        Begin(request, destination);
        return true;
    }

    private void Begin(ProxyRequest request, Destination destination)
    {
        ref var loop = ref request.Loop;
        var backend = loop.Backend;
        loop.Destination = destination;
        request.MayHoldBack = loop.Replayable && loop.Attempt < loop.MaxAttempts && backend.Budget.HasRoom(backend.Policy.Retry);
        loop.Span = tracing.Enabled ? AttemptSpans.Start(request.Context, destination, backend.Name, loop.Attempt) : null;
        loop.Started = time.GetTimestamp();
        if (loop.Attempt == 1)
        {
            loop.FirstStarted = loop.Started;
        }

        destination.Runtime.RequestStarted();
        (request.SentBodyBytes, request.ReceivedBodyBytes) = (0, 0);

        // timeouts.backendRequest bounds each attempt on its own; its cancellation reads as a timeout (504).
        loop.AttemptDeadline = loop.Route.BackendTimeout is { } perAttempt ? Deadline(perAttempt, loop.CancellationToken) : null;
    }

    private static ValueTask<AttemptOutcome> SendAttempt(ProxyRequest request)
    {
        ref var loop = ref request.Loop;
        var attempt = new ForwardAttempt(loop.Routing, loop.Backend, loop.Destination, request.MayHoldBack, loop.Route.UpstreamTimeouts) { ReplacesErrors = request.ErrorPages is not null };
        return loop.Forwarder.ForwardAsync(request.Context, attempt, loop.AttemptDeadline?.Token ?? loop.CancellationToken);
    }

    /// <summary>One attempt's end, however it ended: what every attempt counts, the access log's view, the span.</summary>
    private void EndAttempt(ProxyRequest request, AttemptOutcome outcome)
    {
        ref var loop = ref request.Loop;
        var context = request.Context;
        var elapsed = time.GetElapsedTime(loop.Started).TotalSeconds;
        Account(context, loop.Backend, loop.Destination, outcome, elapsed, request);
        if (request.AccessRecord is { } record)
        {
            Describe(record, context, loop.Destination, outcome, elapsed, loop.Attempt);
        }

        if (loop.Span is { } span)
        {
            AttemptSpans.End(span, context, outcome);
            loop.Span = null;
        }

        if (loop.Slot is { } slot)
        {
            slot.Release(loop.Destination);
            loop.Slot = null;
        }

        loop.AttemptTimedOut = loop.AttemptDeadline is { IsCancellationRequested: true };
        loop.AttemptDeadline?.Dispose();
        loop.AttemptDeadline = null;
    }

    /// <summary>After an attempt: the request is done, or another attempt follows (after the route's backoff), on a pod not tried when OneHop chooses.</summary>
    private AttemptStep NextStep(ProxyRequest request, AttemptOutcome outcome)
    {
        ref var loop = ref request.Loop;
        var context = request.Context;
        var retry = loop.Route.Retry;
        loop.HeldBack = outcome == AttemptOutcome.PodError && !context.Response.HasStarted && request.HoldsBackForRetry(context.Response.StatusCode);

        // Gateway API's HTTPRouteRetryBackendTimeout: an attempt past timeouts.backendRequest is retried, never one
        // the request's own deadline (or the client) ended.
        var attemptTimedOut = retry is not null && loop.AttemptTimedOut && !loop.CancellationToken.IsCancellationRequested;
        var reason = RetryReason(outcome, loop.HeldBack, loop.Replayable, attemptTimedOut);
        if (reason is null || context.Response.HasStarted || loop.Attempt >= loop.MaxAttempts
            || (loop.Route.UpstreamTimeouts?.NextTryWithin is { } within && time.GetElapsedTime(loop.FirstStarted) >= within))
        {
            return AttemptStep.Finish;
        }

        var backend = loop.Backend;
        if (!backend.Budget.TryRetry(backend.Policy.Retry))
        {
            metrics.RetryBudgetExhausted(backend.Name);
            return AttemptStep.Finish;
        }

        (loop.Tried ??= []).Add(loop.Destination);
        loop.Candidates = loop.Candidates.Narrow(loop.Tried);
        if (loop.Candidates.Count == 0)
        {
            if (retry is null)
            {
                return AttemptStep.Finish;
            }

            // Every pod tried: the route's retry starts over on them.
            loop.Tried.Clear();
            loop.Candidates = loop.Available;
        }

        metrics.Retried(backend.Name, reason);
        context.Response.Clear();
        loop.Backoff = retry?.BackoffBefore(loop.Attempt) ?? TimeSpan.Zero;
        loop.Attempt++;
        return loop.Backoff > TimeSpan.Zero ? AttemptStep.BackOff : AttemptStep.Next;
    }

    /// <summary>
    /// Waits before a route's retry. False when the client went away meanwhile; the request's own deadline running out
    /// throws, as it does during an attempt, and is answered 504 by <see cref="ProxyWithTimeoutAsync"/>.
    /// </summary>
    private async Task<bool> BackOffAsync(TimeSpan wait, HttpContext context, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            await Task.Delay(wait, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return false;
        }
    }

    private static CancellationTokenSource Deadline(TimeSpan after, CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(after);
        return deadline;
    }

    /// <summary>What every attempt counts, whichever forwarder carried it and however it ended.</summary>
    private void Account(HttpContext context, BackendState backend, Destination destination, AttemptOutcome outcome, double elapsed, ProxyRequest request)
    {
        var runtime = destination.Runtime;
        runtime.RequestEnded();
        var decay = backend.Policy.EwmaDecay;
        if (outcome == AttemptOutcome.Success)
        {
            runtime.ObserveLatency(elapsed, decay);
        }
        else if (outcome.CountsAgainstPod())
        {
            runtime.ObserveLatency(Math.Max(elapsed, FailurePenalty.TotalSeconds), decay);
        }

        // Anything else the client caused: how long it took says nothing about the pod.
        outliers.Observe(backend, destination, outcome);
        runtime.Traffic.Record(elapsed, outcome.CountsAgainstPod());
        var status = outcome is AttemptOutcome.Success or AttemptOutcome.PodError ? context.Response.StatusCode : 0;
        metrics.Attempt(destination, backend.Name, backend.Namespace, context.Request.Method, status, outcome, elapsed, request.SentBodyBytes, request.ReceivedBodyBytes);
    }

    /// <summary>The access log's view of the latest attempt: where it went, what the pod answered, how long it took.</summary>
    private static void Describe(HttpAccessRecord record, HttpContext context, Destination destination, AttemptOutcome outcome, double elapsed, int attempt)
    {
        var endpoint = destination.Endpoint;
        record.Upstream = destination.Id;
        record.Pod = endpoint.Pod;
        record.Node = endpoint.Node;
        record.Zone = endpoint.Zone;
        record.UpstreamStatus = outcome is AttemptOutcome.Success or AttemptOutcome.PodError ? context.Response.StatusCode : 0;
        record.UpstreamTime = elapsed;
        record.Attempts = attempt;
    }

    private static string? RetryReason(AttemptOutcome outcome, bool heldBack, bool replayable, bool attemptTimedOut) => outcome switch
    {
        _ when outcome.IsConnectFailure() => "connect",
        AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse or AttemptOutcome.TlsFailure when replayable => "reset",
        AttemptOutcome.Timeout when attemptTimedOut && replayable => "timeout",
        _ when heldBack => "status",
        _ => null,
    };

    /// <summary>No retry left: make the failure say what happened instead of an empty 502 or a held-back body.</summary>
    private static Task FinishAsync(HttpContext context, AttemptOutcome outcome, bool heldBack, string backend, int attempts, RouteRetry? retry)
    {
        if (!context.Response.HasStarted && heldBack)
        {
            // The pod's 502/503 was held back for a retry that could not happen.
            var status = context.Response.StatusCode;
            return ErrorResponses.WriteAsync(context, status, ErrorCodes.UpstreamStatus, $"{backend} answered {status} on every attempt ({attempts} tried)");
        }

        if (retry is not null && !context.Response.HasStarted && outcome is AttemptOutcome.UpstreamReset or AttemptOutcome.BadUpstreamResponse)
        {
            // The route's retries are spent on broken connections: unavailable (503) as Envoy says it and the suite's
            // HTTPRouteRetryConnectionError expects (500 or 503), rather than OneHop's usual 502.
            return ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, outcome == AttemptOutcome.UpstreamReset ? ErrorCodes.UpstreamReset : ErrorCodes.BadUpstreamResponse, $"every attempt to {backend} ended without a complete answer ({attempts} tried)");
        }

        return ErrorResponses.WriteAsync(context, outcome, backend, attempts);
    }
}
