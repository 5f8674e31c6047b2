using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Control;
using OneHop.Core.Proxy;
using OneHop.Core.Telemetry;
using OneHop.Core.Tls;

namespace OneHop.Core.Admin;

/// <summary>
/// The admin listener's endpoints: liveness, readiness, metrics (Prometheus text or OpenMetrics, docs/metrics.md), the
/// live routes and the status of every source. Served on its own listener (loopback by default), never on the proxy's.
/// </summary>
internal static class AdminApi
{
    public static void MapAdminApi(this WebApplication app, SnapshotCoordinator coordinator, IDataPlane dataPlane, MetricsExport metrics, LeaderElection? election = null, DrainState? drain = null, CertificateStore? certificates = null, TopologyFeed? topology = null, Telemetry.AccessLog.AccessLogWriter? accessLog = null, Telemetry.Tracing.ProxyTracing? tracing = null)
    {
        app.MapHealthEndpoints(coordinator, metrics, drain);
        if (topology is not null)
        {
            app.MapTopology(topology);
        }

        // The HttpContext handlers are typed RequestDelegate explicitly: with PublishAot the request delegate generator
        // intercepts MapGet calls and fails (CS9144) on a lambda that C# binds to the RequestDelegate overload.
        app.MapGet("/api/routes", (RequestDelegate)(context =>
        {
            var status = coordinator.Status;
            var document = new RoutesDocument(status.Version, dataPlane.AppliedVersion, status.Snapshot.Routes, status.Snapshot.DefaultRoute, status.Snapshot.Backends, status.Snapshot.L4);
            return Json(context, document, AdminJsonContext.Default.RoutesDocument);
        }));

        app.MapGet("/api/certificates", (RequestDelegate)(context =>
            Json(context, new CertificatesDocument(certificates?.Current.Served ?? []), AdminJsonContext.Default.CertificatesDocument)));

        app.MapGet("/api/status", (RequestDelegate)(context =>
        {
            var status = coordinator.Status;
            var ready = coordinator.IsReady;
            var document = new StatusDocument(
                ready,
                ready ? null : coordinator.NotReadyReason,
                status.Version,
                dataPlane.AppliedVersion,
                status.LastBuild,
                status.LastBuildError,
                dataPlane.LastError,
                status.Sources,
                status.Diagnostics,
                status.Ignored,
                election is null ? null : new LeadershipDocument(election.Identity, election.Leader, election.IsLeader))
            {
                GatewayApi = status.GatewayStatus == Routing.GatewayApi.GatewayApiStatus.Empty ? null : status.GatewayStatus,
                AccessLog = accessLog?.Status,
                Tracing = tracing?.Status,
                TrustedProxies = TrustedProxiesStatus.From(status.Snapshot.TrustedProxies),
            };
            return Json(context, document, AdminJsonContext.Default.StatusDocument);
        }));
    }

    /// <summary>The dashboard at <c>/</c> and what it draws: <c>/api/topology</c> and its event stream.</summary>
    public static void MapTopology(this WebApplication app, TopologyFeed topology)
    {
        // RequestDelegate explicitly, as in MapAdminApi (the request delegate generator of an AOT publish).
        app.MapGet("/", (RequestDelegate)DashboardPage.ServeAsync);
        app.MapGet("/api/topology", (RequestDelegate)(context => Json(context, topology.Current(), AdminJsonContext.Default.TopologyDocument)));
        app.MapGet("/api/topology/events", (RequestDelegate)(context => TopologyEvents.StreamAsync(context, topology, app.Lifetime.ApplicationStopping)));
    }

    /// <summary>
    /// Liveness, readiness and metrics: the part of the admin API the kubelet and Prometheus need. Also served alone on
    /// the health listener (<c>--health</c>), so the admin API itself can stay on loopback.
    /// </summary>
    public static void MapHealthEndpoints(this WebApplication app, SnapshotCoordinator coordinator, MetricsExport metrics, DrainState? drain = null)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n"));

        app.MapGet("/readyz", () => drain?.IsDraining == true
            ? Results.Text("not ready: draining, this replica is shutting down\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : coordinator.IsReady
                ? Results.Text(coordinator.ReadyWarning is { } warning ? $"ready, but {warning}\n" : "ready\n")
                : Results.Text($"not ready: {coordinator.NotReadyReason}\n", statusCode: StatusCodes.Status503ServiceUnavailable));

        // Prometheus text, or OpenMetrics for a scraper that asks for it (Accept: application/openmetrics-text).
        metrics.MapScrapeEndpoint(app);
    }

    private static Task Json<T>(HttpContext context, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }
}
