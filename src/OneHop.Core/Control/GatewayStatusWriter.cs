using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.State;
using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Control;

/// <summary>
/// Writes the translator's Gateway API conclusions to the API server: GatewayClass Accepted, Gateway Accepted/Programmed
/// with its addresses and per-listener conditions and attachedRoutes, ListenerSets' likewise, each route's <c>parents</c> entries and each
/// BackendTLSPolicy's <c>ancestors</c> entries of OneHop's controller (other controllers' entries are kept). Called by the leader only (the Ingress status
/// publisher's loop). Each write replaces the status subresource at the object's resourceVersion, so a concurrent
/// change is a 409 and the next round works from the newer version; an unchanged status is never written, and a
/// condition keeps its lastTransitionTime while its status does not change.
/// </summary>
internal sealed partial class GatewayStatusWriter(IKubernetes client, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<ObjectRef, (string? ResourceVersion, string Status)> _written = [];

    public async Task ReconcileAsync(PublishedSnapshot published, IReadOnlyList<V1IngressLoadBalancerIngress> addresses, CancellationToken cancellationToken)
    {
        var status = published.GatewayStatus;
        var cluster = published.Cluster;
        foreach (var report in status.Classes)
        {
            if (FromApi(cluster, report.Ref) && cluster.GatewayClasses.TryGetValue(report.Ref.Key, out var gatewayClass))
            {
                var desired = new GatewayClassStatus { Conditions = Conditions([report.Accepted], report.Generation, gatewayClass.Status?.Conditions) };
                await WriteAsync(report.Ref, gatewayClass, gatewayClass.Status, desired, "gatewayclasses", "v1", b => new GatewayClass { Metadata = gatewayClass.Metadata, Spec = gatewayClass.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var report in status.Gateways)
        {
            if (FromApi(cluster, report.Ref) && cluster.Gateways.TryGetValue(report.Ref.Key, out var gateway))
            {
                var old = gateway.Status;
                var desired = new GatewayStatus
                {
                    Addresses = report.Addresses is null
                        ? [.. addresses.Select(a => new GatewayAddress { Type = a.Ip is not null ? "IPAddress" : "Hostname", Value = a.Ip ?? a.Hostname })]
                        : [.. report.Addresses.Select(a => new GatewayAddress { Type = "IPAddress", Value = a })],
                    Conditions = Conditions(report.Conditions, report.Generation, old?.Conditions),
                    Listeners = Listeners(report, old?.Listeners),
                    AttachedListenerSets = report.AttachedListenerSets,
                };
                await WriteAsync(report.Ref, gateway, old, desired, "gateways", "v1", b => new Gateway { Metadata = gateway.Metadata, Spec = gateway.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var report in status.ListenerSets)
        {
            if (FromApi(cluster, report.Ref) && cluster.ListenerSets.TryGetValue(report.Ref.Key, out var set))
            {
                var old = set.Status;
                var desired = new ListenerSetStatus
                {
                    Conditions = Conditions(report.Conditions, report.Generation, old?.Conditions),
                    Listeners = Listeners(report, old?.Listeners),
                };
                await WriteAsync(report.Ref, set, old, desired, "listenersets", KindRegistry.ListenerSet.Version, b => new ListenerSet { Metadata = set.Metadata, Spec = set.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var report in status.Routes)
        {
            if (!FromApi(cluster, report.Ref))
            {
                continue;
            }

            if (report.Ref.Kind == KubeKinds.HttpRoute && cluster.HttpRoutes.TryGetValue(report.Ref.Key, out var route))
            {
                await WriteAsync(report.Ref, route, route.Status, Desired(route.Status, report), "httproutes", "v1", b => new HttpRoute { Metadata = route.Metadata, Spec = route.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
            else if (report.Ref.Kind == KubeKinds.GrpcRoute && cluster.GrpcRoutes.TryGetValue(report.Ref.Key, out var grpc))
            {
                await WriteAsync(report.Ref, grpc, grpc.Status, Desired(grpc.Status, report), "grpcroutes", "v1", b => new GrpcRoute { Metadata = grpc.Metadata, Spec = grpc.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
            else if (report.Ref.Kind == KubeKinds.TcpRoute && cluster.TcpRoutes.TryGetValue(report.Ref.Key, out var tcp))
            {
                await WriteAsync(report.Ref, tcp, tcp.Status, Desired(tcp.Status, report), "tcproutes", KindRegistry.TcpRoute.Version, b => new TcpRoute { Metadata = tcp.Metadata, Spec = tcp.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
            else if (report.Ref.Kind == KubeKinds.UdpRoute && cluster.UdpRoutes.TryGetValue(report.Ref.Key, out var udp))
            {
                await WriteAsync(report.Ref, udp, udp.Status, Desired(udp.Status, report), "udproutes", KindRegistry.UdpRoute.Version, b => new UdpRoute { Metadata = udp.Metadata, Spec = udp.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
            else if (report.Ref.Kind == KubeKinds.TlsRoute && cluster.TlsRoutes.TryGetValue(report.Ref.Key, out var tls))
            {
                await WriteAsync(report.Ref, tls, tls.Status, Desired(tls.Status, report), "tlsroutes", KindRegistry.TlsRoute.Version, b => new TlsRoute { Metadata = tls.Metadata, Spec = tls.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var report in status.Policies)
        {
            if (FromApi(cluster, report.Ref) && cluster.BackendTlsPolicies.TryGetValue(report.Ref.Key, out var policy))
            {
                await WriteAsync(report.Ref, policy, policy.Status, Desired(policy.Status, report), "backendtlspolicies", KindRegistry.BackendTlsPolicy.Version, b => new BackendTlsPolicy { Metadata = policy.Metadata, Spec = policy.Spec, Status = b }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A Gateway's or ListenerSet's listeners as reported, each condition keeping its transition time while it holds.</summary>
    private List<ListenerStatus> Listeners(GatewayStatusReport report, IList<ListenerStatus>? old) =>
    [
        .. report.Listeners.Select(l => new ListenerStatus
        {
            Name = l.Name,
            AttachedRoutes = l.AttachedRoutes,
            SupportedKinds = [.. l.SupportedKinds.Select(k => new RouteGroupKind { Group = GatewayApiNames.Group, Kind = k })],
            Conditions = Conditions(l.Conditions, report.Generation, old?.FirstOrDefault(o => o.Name == l.Name)?.Conditions),
        }),
    ];

    /// <summary>A BackendTLSPolicy's status with OneHop's ancestors as reported; other controllers' entries are kept.</summary>
    private PolicyStatus Desired(PolicyStatus? current, PolicyStatusReport report)
    {
        var old = current?.Ancestors ?? [];
        var theirs = old.Where(a => a.ControllerName != GatewayApiNames.ControllerName);
        var ours = report.Ancestors.Select(gateway => new PolicyAncestorStatus
        {
            AncestorRef = new ParentReference { Group = GatewayApiNames.Group, Kind = KubeKinds.Gateway, Namespace = gateway.Namespace, Name = gateway.Name },
            ControllerName = GatewayApiNames.ControllerName,
            Conditions = Conditions(report.Conditions, report.Generation, old.FirstOrDefault(o => o.ControllerName == GatewayApiNames.ControllerName && o.AncestorRef.Name == gateway.Name && o.AncestorRef.Namespace == gateway.Namespace)?.Conditions),
        });
        return new PolicyStatus { Ancestors = [.. theirs, .. ours] };
    }

    /// <summary>A route's status with OneHop's parents as reported; other controllers' entries are kept.</summary>
    private RouteStatus Desired(RouteStatus? current, RouteStatusReport report)
    {
        var old = current?.Parents ?? [];
        var theirs = old.Where(p => p.ControllerName != GatewayApiNames.ControllerName);
        var ours = report.Parents.Select(p =>
        {
            var parent = p.ListenerSet ?? new ObjectRef(KubeKinds.Gateway, p.GatewayNamespace, p.GatewayName);
            return new RouteParentStatus
            {
                ParentRef = new ParentReference { Group = GatewayApiNames.Group, Kind = parent.Kind, Namespace = parent.Namespace, Name = parent.Name, SectionName = p.SectionName, Port = p.Port },
                ControllerName = GatewayApiNames.ControllerName,
                Conditions = Conditions(p.Conditions, report.Generation, old.FirstOrDefault(o => o.ControllerName == GatewayApiNames.ControllerName && (o.ParentRef.Kind ?? KubeKinds.Gateway) == parent.Kind && o.ParentRef.Name == parent.Name && o.ParentRef.SectionName == p.SectionName)?.Conditions),
            };
        });
        return new RouteStatus { Parents = [.. theirs, .. ours] };
    }

    private async Task WriteAsync<TObject, TStatus>(
        ObjectRef reference,
        TObject current,
        TStatus? currentStatus,
        TStatus desired,
        string plural,
        string version,
        Func<TStatus, TObject> withStatus,
        CancellationToken cancellationToken)
        where TObject : IKubernetesObject<V1ObjectMeta>
    {
        var desiredJson = Comparable(desired);
        var resourceVersion = current.Metadata?.ResourceVersion;
        if (currentStatus is not null && Comparable(currentStatus) == desiredJson)
        {
            return;
        }

        // The snapshot can lag the watch: the version this replica already wrote over is not written again.
        if (_written.TryGetValue(reference, out var written) && written.ResourceVersion == resourceVersion && written.Status == desiredJson)
        {
            return;
        }

        var body = withStatus(desired);
        try
        {
            if (reference.Namespace.Length == 0)
            {
                await client.CustomObjects.ReplaceClusterCustomObjectStatusAsync(body, GatewayApiNames.Group, version, plural, reference.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(body, GatewayApiNames.Group, version, reference.Namespace, plural, reference.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            _written[reference] = (resourceVersion, desiredJson);
            Log.Wrote(logger, reference.ToString());
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // Changed or gone since the watch last saw it: the next round works from the newer version.
        }
    }

    /// <summary>The conditions as the API writes them: observedGeneration, and lastTransitionTime kept while the status holds.</summary>
    private List<V1Condition> Conditions(IEnumerable<GatewayCondition> conditions, long? generation, IList<V1Condition>? previous) =>
    [
        .. conditions.Select(c =>
        {
            var status = c.Status ? "True" : "False";
            var before = previous?.FirstOrDefault(p => p.Type == c.Type);
            return new V1Condition
            {
                Type = c.Type,
                Status = status,
                Reason = c.Reason,
                Message = c.Message,
                ObservedGeneration = generation,
                LastTransitionTime = before is not null && before.Status == status ? before.LastTransitionTime : time.GetUtcNow().UtcDateTime,
            };
        }),
    ];

    /// <summary>The status as JSON without transition times, so a rewrite is decided on what it says, not when.</summary>
    private static string Comparable<T>(T status)
    {
        var json = KubernetesJson.Serialize(status);
        using var document = JsonDocument.Parse(json);
        return Strip(document.RootElement);
    }

    private static string Strip(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Where(p => p.Name != "lastTransitionTime").Select(p => $"\"{p.Name}\":{Strip(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + string.Join(",", element.EnumerateArray().Select(Strip)) + "]",
        _ => element.GetRawText(),
    };

    private static bool FromApi(ClusterState cluster, ObjectRef reference) => cluster.OriginOf(reference) == ObjectOrigin.Kubernetes;

    private static partial class Log
    {
        [LoggerMessage(211, LogLevel.Information, "{Object} status written")]
        public static partial void Wrote(ILogger logger, string @object);
    }
}
