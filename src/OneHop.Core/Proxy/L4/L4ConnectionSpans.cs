using System.Diagnostics;
using OneHop.Core.Telemetry.Tracing;

namespace OneHop.Core.Proxy.L4;

/// <summary>
/// A span per L4 connection (TCP, TLS passthrough; a UDP session) when tracing is on and the ratio draws it, made when the
/// connection ends with its real start and end: the listener, route, backend and pod it reached, the bytes each way and
/// why it closed. L4 has no header to carry a parent, so every connection is a root; the ratio is drawn before any span
/// exists, as for HTTP requests, so an unsampled connection costs no <see cref="Activity"/>.
/// </summary>
internal sealed class L4ConnectionSpans(RootSampler roots)
{

    /// <summary>Records <paramref name="connection"/>, open from <paramref name="opened"/> to <paramref name="closed"/>, if the ratio draws it.</summary>
    public void Closed(L4Connection connection, DateTimeOffset opened, DateTimeOffset closed)
    {
        if (!roots.Samples())
        {
            return;
        }

        using var span = ProxyActivitySource.Source.StartActivity(connection.Protocol + " " + connection.Listener, ActivityKind.Server, parentContext: default, startTime: opened);
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        var endpoint = connection.Destination.Endpoint;
        span.SetTag("network.transport", connection.Protocol == "udp" ? "udp" : "tcp");
        span.SetTag("client.address", connection.ClientAddress);
        span.SetTag("tls.server_name", connection.ServerName);
        span.SetTag("onehop.listener", connection.Listener);
        span.SetTag("onehop.route", connection.Route.Route.Source);
        span.SetTag("onehop.backend", connection.Route.Backend.Name);
        span.SetTag("server.address", endpoint.Address);
        span.SetTag("server.port", endpoint.Port);
        span.SetTag("k8s.pod.name", endpoint.Pod);
        span.SetTag("k8s.node.name", endpoint.Node);
        span.SetTag("cloud.availability_zone", endpoint.Zone);
        span.SetTag("onehop.bytes_in", connection.FromClient);
        span.SetTag("onehop.bytes_out", connection.FromPod);
        span.SetTag("onehop.close", connection.ClosedBy is { } reason ? reason.ToString().ToLowerInvariant() : "closed");
        span.SetEndTime(closed.UtcDateTime);
    }
}
