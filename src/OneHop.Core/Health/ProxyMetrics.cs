using System.Diagnostics;
using System.Diagnostics.Metrics;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Health;

/// <summary>
/// The HTTP data plane's own instruments. Client requests are ASP.NET Core's <c>http.server.request.duration</c>
/// (enriched with <see cref="Telemetry.RouteLabels"/> by the proxy handler); what OneHop adds is per attempt to a pod —
/// <c>http.client.request.duration</c> and <c>http.client.active_requests</c> after the OpenTelemetry HTTP client
/// conventions, labelled with the pod, its node, zone, Service and namespace — and the retry and ejection counters.
/// </summary>
/// <remarks>
/// An attempt is recorded with a <see cref="TagList"/> of at most eight tags (kept on the stack), strings the snapshot
/// already holds and status codes boxed once: recording allocates nothing.
/// </remarks>
internal sealed class ProxyMetrics : IDisposable
{
    /// <summary>The boundaries the OpenTelemetry HTTP conventions advise for request durations, as ASP.NET Core uses.</summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly PodSeriesMeter<PodInstruments> _attempts;
    private readonly Counter<long> _noRoute;
    private readonly Counter<long> _noEndpoints;
    private readonly Counter<long> _ejections;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _retryBudgetExhausted;
    private readonly Counter<long> _queueRefused;
    private readonly Counter<long> _authChecks;
    private readonly Histogram<double> _authDuration;

    /// <param name="meter">OneHop's meter.</param>
    /// <param name="time">The clock of the per-pod series' retention (<see cref="PodSeriesMeter{T}"/>).</param>
    /// <param name="podSeriesRetention">How long a departed pod's attempt series may stay; ten minutes when null.</param>
    public ProxyMetrics(Meter meter, TimeProvider? time = null, TimeSpan? podSeriesRetention = null)
    {
        Meter = meter;
        _attempts = new PodSeriesMeter<PodInstruments>(meter.Name, meter.Scope, static pods => new PodInstruments(pods), time ?? TimeProvider.System, podSeriesRetention);
        _noRoute = meter.CreateCounter<long>("onehop.http.no_route", "{request}", "Requests that matched no route (answered 404).");
        _noEndpoints = meter.CreateCounter<long>("onehop.http.no_endpoints", "{request}", "Requests answered 503 because their Service had no usable endpoint, by Service.");
        _ejections = meter.CreateCounter<long>("onehop.outlier.ejections", "{ejection}", "Endpoints ejected by passive outlier detection, by Service.");
        _retries = meter.CreateCounter<long>("onehop.http.retries", "{retry}", "Attempts retried on another endpoint, by Service and reason (connect, reset, status).");
        _queueRefused = meter.CreateCounter<long>("onehop.http.queue_refused", "{request}", "Requests answered 503 by a capped Service's queue, by Service and reason (full: the queue held its size; timeout: no endpoint had room within the queue timeout).");
        _retryBudgetExhausted = meter.CreateCounter<long>("onehop.http.retry_budget_exhausted", "{retry}", "Retries refused because the Service's retry budget was spent.");
        _authChecks = meter.CreateCounter<long>("onehop.http.auth_checks", "{request}", "Requests checked with an external authentication service (auth-url), by answer (allowed, unauthorized, forbidden, failed) and source (service, or cache: an answer kept for auth-cache-key).");
        _authDuration = meter.CreateHistogram(
            "onehop.http.auth_check.duration",
            "s",
            "How long the external authentication service took to answer a subrequest, by answer (failed: no answer, or one that means nothing).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    }

    public Meter Meter { get; }

    public void NoRoute() => _noRoute.Add(1);

    public void NoEndpoints(string service) => _noEndpoints.Add(1, new KeyValuePair<string, object?>("service", service));

    public void Ejected(string service) => _ejections.Add(1, new KeyValuePair<string, object?>("service", service));

    public void Retried(string service, string reason) =>
        _retries.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A request was checked with auth-url: <paramref name="answer"/> is allowed, unauthorized, forbidden or failed.</summary>
    public void AuthChecked(string answer, bool fromCache) =>
        _authChecks.Add(1, new KeyValuePair<string, object?>("answer", answer), new KeyValuePair<string, object?>("source", fromCache ? "cache" : "service"));

    /// <summary>A subrequest to the auth service ended after <paramref name="seconds"/>.</summary>
    public void AuthAsked(string answer, double seconds) => _authDuration.Record(seconds, new KeyValuePair<string, object?>("answer", answer));

    public void QueueRefused(string service, string reason) =>
        _queueRefused.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("reason", reason));

    public void RetryBudgetExhausted(string service) => _retryBudgetExhausted.Add(1, new KeyValuePair<string, object?>("service", service));

    /// <summary>One attempt to <paramref name="destination"/> ended: <paramref name="status"/> is the pod's answer, 0 when there was none.</summary>
    /// <param name="sentBodyBytes">Request body bytes sent to the pod, as the client sent them.</param>
    /// <param name="receivedBodyBytes">Response body bytes received from the pod (as <paramref name="sentBodyBytes"/>).</param>
    public void Attempt(Destination destination, string service, string? ns, string method, int status, AttemptOutcome outcome, double seconds, long sentBodyBytes = 0, long receivedBodyBytes = 0)
    {
        var instruments = _attempts.Instruments;
        var attempts = instruments.Duration;
        if (!attempts.Enabled)
        {
            return;
        }

        var endpoint = destination.Endpoint;
        var tags = new TagList
        {
            { "service", service },
            { "namespace", ns ?? string.Empty },
            { "pod", destination.Name },
            { "node", endpoint.Node ?? string.Empty },
            { "zone", endpoint.Zone ?? string.Empty },
        };
        if (sentBodyBytes > 0)
        {
            instruments.Sent.Add(sentBodyBytes, tags);
        }

        if (receivedBodyBytes > 0)
        {
            instruments.Received.Add(receivedBodyBytes, tags);
        }

        tags.Add("http.request.method", HttpLabels.Method(method));
        if (status > 0)
        {
            tags.Add("http.response.status_code", HttpLabels.Status(status));
        }

        if (HttpLabels.Error(outcome, status) is { } error)
        {
            tags.Add("error.type", error);
        }

        attempts.Record(seconds, tags);
    }

    /// <summary>
    /// Before a scrape: <paramref name="livePods"/> (<see cref="PodKey"/> of each pod routed to now) lets the attempt
    /// series of pods that left be forgotten (<see cref="PodSeriesMeter{T}"/>).
    /// </summary>
    public bool PruneDeparted(IEnumerable<string> livePods) => _attempts.PruneDeparted(livePods);

    /// <summary>Ends the per-pod instruments' meter (the main meter is the export's to dispose).</summary>
    public void Dispose() => _attempts.Dispose();

    /// <summary>One generation's per-pod instruments (<see cref="PodSeriesMeter{T}"/>).</summary>
    private sealed class PodInstruments(Meter pods)
    {
        public Histogram<double> Duration { get; } = pods.CreateHistogram(
            "http.client.request.duration",
            "s",
            "Attempts to pods: each try of a retried request counts, by pod, node, zone, Service and namespace, with the pod's status or the error.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

        public Counter<long> Sent { get; } = pods.CreateCounter<long>("onehop.http.sent", "By", "Request body bytes sent to pods as the client sent them, by pod, node, zone, Service and namespace.");

        public Counter<long> Received { get; } = pods.CreateCounter<long>("onehop.http.received", "By", "Response body bytes received from pods and relayed to the client, by pod, node, zone, Service and namespace.");
    }

    /// <summary>A pod as <see cref="PruneDeparted"/> knows it.</summary>
    public static string PodKey(string? ns, Destination destination) => (ns ?? string.Empty) + "/" + destination.Name;

    /// <summary>
    /// <c>http.client.active_requests</c>: attempts under way now per pod, read from the endpoints' runtime state at each
    /// scrape, so only pods routed to now are reported.
    /// </summary>
    public void ObserveInFlight(Func<IEnumerable<(string Service, string? Namespace, Destination Destination)>> destinations) =>
        Meter.CreateObservableUpDownCounter(
            "http.client.active_requests",
            () => destinations().Select(d => new Measurement<int>(d.Destination.Runtime.InFlight,
                new KeyValuePair<string, object?>("service", d.Service),
                new KeyValuePair<string, object?>("namespace", d.Namespace ?? string.Empty),
                new KeyValuePair<string, object?>("pod", d.Destination.Name),
                new KeyValuePair<string, object?>("node", d.Destination.Endpoint.Node ?? string.Empty),
                new KeyValuePair<string, object?>("zone", d.Destination.Endpoint.Zone ?? string.Empty))),
            "{request}",
            "Attempts to pods under way now, by pod, node, zone, Service and namespace.");

    /// <summary><c>onehop.queue.waiting</c>: requests (TCP: connections) waiting in a capped backend's queue now, read at each scrape.</summary>
    public void ObserveQueues(Func<IEnumerable<BackendState>> backends) =>
        Meter.CreateObservableUpDownCounter(
            "onehop.queue.waiting",
            () => backends().Where(b => b.Queue is not null).Select(b => new Measurement<int>(b.Queue!.Waiting,
                new KeyValuePair<string, object?>("service", b.Name),
                new KeyValuePair<string, object?>("namespace", b.Namespace ?? string.Empty))),
            "{request}",
            "Requests (TCP: connections) waiting for a slot in a capped backend's queue now (concurrency.maxPerEndpoint), by Service and namespace.");
}
