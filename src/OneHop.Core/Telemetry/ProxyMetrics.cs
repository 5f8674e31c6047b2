using System.Collections.Concurrent;
using Prometheus;

namespace OneHop.Core.Telemetry;

/// <summary>
/// Per route, backend and pod: requests by status class, latency, and requests in flight. Label sets are looked up
/// once per (route, endpoint) and cached, so a request costs a dictionary hit, not label hashing; series of
/// pods that left are removed so pod churn does not grow /metrics forever.
/// </summary>
internal sealed class ProxyMetrics
{
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly string[] CodeClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Gauge _inFlight;
    private readonly Counter _noRoute;
    private readonly Counter _noEndpoints;
    private readonly Counter _ejections;
    private readonly Counter _retries;
    private readonly Counter _retryBudgetExhausted;
    private readonly ConcurrentDictionary<(string Route, string Endpoint), EndpointMetrics> _cache = new();

    public ProxyMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        // Series appear on first use: pre-created children for unused status classes would only be noise.
        _requests = factory.CreateCounter("onehop_http_requests_total", "HTTP requests proxied, by route, backend, pod and status class.", new CounterConfiguration
        {
            LabelNames = ["route", "backend", "pod", "code"],
            SuppressInitialValue = true,
        });
        _duration = factory.CreateHistogram("onehop_http_request_duration_seconds", "Time from routing a request to its response completing, by route, backend and pod.", new HistogramConfiguration
        {
            LabelNames = ["route", "backend", "pod"],
            Buckets = LatencyBuckets,
        });
        _inFlight = factory.CreateGauge("onehop_http_requests_in_flight", "Requests being proxied now, by route, backend and pod.", "route", "backend", "pod");
        _noRoute = factory.CreateCounter("onehop_http_no_route_total", "Requests that matched no route (404).");
        _noEndpoints = factory.CreateCounter("onehop_http_no_endpoints_total", "Requests answered 503 because their backend had no usable endpoint.", "backend");
        _ejections = factory.CreateCounter("onehop_outlier_ejections_total", "Endpoints ejected by passive outlier detection, by backend.", "backend");
        _retries = factory.CreateCounter("onehop_http_retries_total", "Attempts retried on another endpoint, by backend and reason.", "backend", "reason");
        _retryBudgetExhausted = factory.CreateCounter("onehop_http_retry_budget_exhausted_total", "Retries refused because the backend's retry budget was spent.", "backend");
    }

    public void NoRoute() => _noRoute.Inc();

    public void NoEndpoints(string backend) => _noEndpoints.WithLabels(backend).Inc();

    public void Ejected(string backend) => _ejections.WithLabels(backend).Inc();

    public void Retried(string backend, string reason) => _retries.WithLabels(backend, reason).Inc();

    public void RetryBudgetExhausted(string backend) => _retryBudgetExhausted.WithLabels(backend).Inc();

    public EndpointMetrics For(string route, string backend, string endpoint, string pod) =>
        _cache.GetOrAdd((route, endpoint), static (key, state) =>
        {
            var (metrics, backend, pod) = state;
            var children = new Counter.Child[CodeClasses.Length];
            for (var i = 0; i < children.Length; i++)
            {
                children[i] = metrics._requests.WithLabels(key.Route, backend, pod, CodeClasses[i]);
            }

            return new EndpointMetrics(
                children,
                metrics._duration.WithLabels(key.Route, backend, pod),
                metrics._inFlight.WithLabels(key.Route, backend, pod),
                [key.Route, backend, pod]);
        }, (this, backend, pod));

    /// <summary>Drops the series of (route, endpoint) pairs that are no longer routed.</summary>
    public void Retain(Func<string, string, bool> isLive)
    {
        foreach (var (key, metrics) in _cache)
        {
            if (isLive(key.Route, key.Endpoint) || metrics.InFlight.Value > 0)
            {
                continue;
            }

            _cache.TryRemove(key, out _);
            foreach (var code in CodeClasses)
            {
                _requests.RemoveLabelled([.. metrics.Labels, code]);
            }

            _duration.RemoveLabelled(metrics.Labels);
            _inFlight.RemoveLabelled(metrics.Labels);
        }
    }

    /// <summary>The metric children of one route × endpoint pair.</summary>
    internal sealed class EndpointMetrics(Counter.Child[] requestsByClass, Histogram.Child duration, Gauge.Child inFlight, string[] labels)
    {
        public Gauge.Child InFlight => inFlight;

        public string[] Labels => labels;

        public void Observe(int statusCode, double seconds)
        {
            var cls = (statusCode / 100) - 1;
            requestsByClass[cls is >= 0 and < 5 ? cls : 4].Inc();
            duration.Observe(seconds);
        }
    }
}
