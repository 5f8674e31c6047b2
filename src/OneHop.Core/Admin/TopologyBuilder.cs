using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Routing;

namespace OneHop.Core.Admin;

/// <summary>
/// Builds the <see cref="TopologyDocument"/> from the snapshot the data plane serves and the runtime state of its
/// endpoints. Reads only; time comes from the injected <see cref="TimeProvider"/>, so tests pin every rate and state.
/// </summary>
internal sealed class TopologyBuilder(TimeProvider time)
{
    /// <summary>A certificate this close to expiry is reported as a warning.</summary>
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(14);

    public TopologyDocument Build(TopologyInput input)
    {
        var routing = input.Routing;
        var now = time.GetTimestamp();
        var traffic = new Dictionary<string, (string? Zone, TrafficSummary Summary)>(StringComparer.Ordinal);
        // L4 backends beside HTTP's: a Service reached both ways has a backend id per protocol.
        var l4 = input.L4 ?? L4Routing.Empty;
        var services = routing.Backends.Values
            .Concat(l4.Backends.Values.Where(b => !routing.Backends.ContainsKey(b.Backend.Id)))
            .OrderBy(b => b.Backend.Id, StringComparer.Ordinal)
            .Select(b => Service(b, input.Zone, now, traffic))
            .ToImmutableArray();

        return new TopologyDocument(
            time.GetUtcNow(),
            routing.Version,
            input.Ready,
            input.NotReadyReason,
            input.Zone,
            CrossZoneShare(input.Zone, traffic.Values),
            input.Leadership is null ? "standalone" : input.Leadership.IsLeader ? "leader" : "follower",
            input.Leadership,
            input.Listeners,
            [.. routing.Table.Routes.Select(Route), .. L4Routes(l4)],
            services,
            Problems(input));
    }

    private static TopologyRoute Route(Route route)
    {
        var space = route.Source.IndexOf(' ', StringComparison.Ordinal);
        var kind = space > 0 ? route.Source[..space] : route.Source;
        ImmutableArray<TopologyRouteBackend> backends = route.Filters?.Redirect is not null
            ? []
            : route.Splits.IsEmpty
                ? [new TopologyRouteBackend(route.BackendId)]
                : [.. route.Splits.Where(s => s.BackendId is not null).Select(s => new TopologyRouteBackend(s.BackendId!, s.Weight))];
        return new TopologyRoute(route.Id, kind, route.Host, route.Path, route.Source, route.Port == 0 ? null : route.Port, backends, route.Filters?.Redirect is not null);
    }

    /// <summary>Each L4 listener's routes, then the ssl-passthrough hosts served on the HTTPS listeners.</summary>
    private static IEnumerable<TopologyRoute> L4Routes(L4Routing l4)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listener in l4.Listeners.Values.OrderBy(l => l.Name, StringComparer.Ordinal))
        {
            var protocol = ListenerProtocols.Name(listener.Protocol);
            foreach (var state in listener.Routes)
            {
                seen.Add(state.Id);
                // A Gateway TLS port may terminate some names and pass others through: each route says which.
                yield return L4Route(state.Route, listener.Listener.Address.Port, listener.Name, state.Route.TerminateTls ? "tls-terminate" : protocol);
            }
        }

        foreach (var state in l4.Routes.Values.Where(r => !seen.Contains(r.Id)).OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            yield return L4Route(state.Route, null, "passthrough", "tls-passthrough"); // ssl-passthrough hosts, on every HTTPS listener
        }
    }

    private static TopologyRoute L4Route(Routing.L4.L4Route route, int? port, string listener, string protocol)
    {
        var space = route.Source.IndexOf(' ', StringComparison.Ordinal);
        ImmutableArray<TopologyRouteBackend> backends = route.Splits.IsEmpty
            ? [new TopologyRouteBackend(route.BackendId)]
            : [.. route.Splits.Select(s => new TopologyRouteBackend(s.BackendId, s.Weight))];
        return new TopologyRoute(route.Id, space > 0 ? route.Source[..space] : route.Source, route.Host, string.Empty, route.Source, port, backends, Listener: listener, Protocol: protocol);
    }

    private static TopologyService Service(BackendState backend, string? zone, long now, Dictionary<string, (string? Zone, TrafficSummary Summary)> traffic)
    {
        var policy = backend.Policy;
        var available = backend.Available();
        var pods = backend.Destinations.Select(d =>
        {
            var pod = Pod(d, policy, available, zone, now);
            traffic.TryAdd(d.Id, (d.Endpoint.Zone, d.Runtime.Traffic.Read()));
            return (Zone: d.Endpoint.Zone, d.Endpoint.Node, Pod: pod);
        }).ToList();

        var zones = pods
            .GroupBy(p => p.Zone)
            .OrderBy(g => g.Key is null)
            .ThenBy(g => g.Key != zone)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TopologyZone(
                g.Key,
                g.Key is not null && g.Key == zone,
                [.. g.GroupBy(p => p.Node)
                    .OrderBy(n => n.Key is null)
                    .ThenBy(n => n.Key, StringComparer.Ordinal)
                    .Select(n => new TopologyNode(n.Key, [.. n.Select(p => p.Pod).OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Id, StringComparer.Ordinal)]))]))
            .ToImmutableArray();

        return new TopologyService(backend.Backend.Id, backend.Name, backend.Backend.Kind.ToString(), policy.LoadBalancing, backend.Backend.Problem, available.Count, zones, backend.Backend.Protocol.ToString().ToLowerInvariant())
        {
            MaxPerEndpoint = backend.Queue is null ? null : policy.MaxPerEndpoint,
            Queued = backend.Queue?.Waiting,
        };
    }

    private static TopologyPod Pod(Destination destination, Configuration.Policies.BackendPolicy policy, DestinationSet available, string? zone, long now)
    {
        var runtime = destination.Runtime;
        var endpoint = destination.Endpoint;
        var terminating = endpoint.State == EndpointState.Terminating;
        var ejected = runtime.IsEjected(now);
        var probeFailing = runtime.ProbeHealth == ProbeHealth.Unhealthy;
        var slowStart = runtime.SlowStartFactor(policy.SlowStart) < 1;
        var state = ejected ? "ejected" : probeFailing ? "probe-failing" : terminating ? "terminating" : slowStart ? "slow-start" : "ready";
        var summary = runtime.Traffic.Read();
        return new TopologyPod(
            destination.Id,
            destination.Name,
            state,
            Ready: !terminating,
            Serving: true, // the snapshot lists ready endpoints and terminating ones that still serve, no others
            terminating,
            ejected,
            slowStart,
            probeFailing,
            InUse: available.Contains(destination),
            Preferred: zone is not null && policy.ZoneAware && endpoint.Zone == zone,
            runtime.InFlight,
            Math.Round(summary.RequestsPerSecond, 2),
            summary.Requests,
            summary.Errors,
            Milliseconds(summary.P50),
            Milliseconds(summary.P99));
    }

    private static double? Milliseconds(double? seconds) => seconds is { } s ? Math.Round(s * 1000, 2) : null;

    private static double? CrossZoneShare(string? zone, IEnumerable<(string? Zone, TrafficSummary Summary)> traffic)
    {
        if (zone is null)
        {
            return null;
        }

        long total = 0, crossed = 0;
        foreach (var (podZone, summary) in traffic)
        {
            if (podZone is null)
            {
                continue;
            }

            total += summary.Requests;
            crossed += podZone == zone ? 0 : summary.Requests;
        }

        return total == 0 ? null : Math.Round((double)crossed / total, 4);
    }

    private ImmutableArray<TopologyProblem> Problems(TopologyInput input)
    {
        var problems = ImmutableArray.CreateBuilder<TopologyProblem>();
        if (input.Status.LastBuildError is { } build)
        {
            problems.Add(new TopologyProblem("error", "build", build));
        }

        if (input.DataPlaneError is { } dataPlane)
        {
            problems.Add(new TopologyProblem("error", "data-plane", dataPlane));
        }

        foreach (var diagnostic in input.Status.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info).OrderByDescending(d => d.Severity))
        {
            problems.Add(new TopologyProblem(diagnostic.Severity.ToString().ToLowerInvariant(), "config", diagnostic.Message, Subject(diagnostic), diagnostic.Code));
        }

        var utcNow = time.GetUtcNow();
        foreach (var certificate in input.Certificates.Where(c => !c.IsDefault).OrderBy(c => c.NotAfter))
        {
            var subject = $"{certificate.Id} ({string.Join(", ", certificate.Hosts)})";
            if (certificate.NotAfter <= utcNow)
            {
                problems.Add(new TopologyProblem("error", "certificate", $"expired {certificate.NotAfter:u}", subject));
            }
            else if (certificate.NotAfter - utcNow < CertificateWarning)
            {
                problems.Add(new TopologyProblem("warning", "certificate", $"expires {certificate.NotAfter:u}, in {(certificate.NotAfter - utcNow).TotalDays:0.#} days", subject));
            }
        }

        return problems.ToImmutable();
    }

    private static string? Subject(Diagnostic diagnostic)
    {
        var parts = new List<string>(3);
        if (diagnostic.Origin?.File is not null)
        {
            parts.Add(diagnostic.Origin.ToString());
        }

        if (diagnostic.Object is not null)
        {
            parts.Add(diagnostic.Object.ToString());
        }

        if (diagnostic.Field is not null)
        {
            parts.Add(diagnostic.Field);
        }

        return parts.Count == 0 ? null : string.Join(' ', parts);
    }
}
