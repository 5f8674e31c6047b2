using System.Collections.Immutable;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Routing;
using OneHop.Core.State;

namespace OneHop.Core.Control;

/// <summary>
/// Publishes where OneHop serves in <c>status.loadBalancer.ingress</c> of the Ingresses it serves. Only the replica
/// elected by <see cref="LeaderElection"/> writes, and only when the status differs, so replicas never flap it. An
/// Ingress that stops being OneHop's has OneHop's addresses cleared; others are never touched. The same leader writes
/// the status of OneHop's Gateway API objects (<see cref="GatewayStatusWriter"/>).
/// </summary>
internal sealed partial class IngressStatusPublisher : ISnapshotConsumer, ILeaderTask
{
    private readonly IKubernetes _client;
    private volatile PublishedSnapshot? _published;
    private readonly Dictionary<ObjectKey, (string? ResourceVersion, IList<V1IngressLoadBalancerIngress> Status)> _written = [];
    private readonly StatusPublishingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AsyncSignal _changed = new();
    private readonly GatewayStatusWriter _gateways;

    public IngressStatusPublisher(IKubernetes client, StatusPublishingOptions options, TimeProvider time, ILogger<IngressStatusPublisher> logger)
    {
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _gateways = new GatewayStatusWriter(client, time, logger);
    }

    /// <summary>Takes a translation in; the writing happens on the publisher's loop, when this replica leads.</summary>
    public void Apply(PublishedSnapshot published)
    {
        _published = published;
        _changed.Set();
    }

    /// <summary>The addresses to publish: the configured ones, or the published Service's.</summary>
    public async Task<ImmutableArray<V1IngressLoadBalancerIngress>> AddressesAsync(CancellationToken cancellationToken)
    {
        if (_options.Service is not { } name)
        {
            return [.. _options.Addresses.Select(ToEntry)];
        }

        var parts = name.Split('/', 2);
        var service = await _client.CoreV1.ReadNamespacedServiceAsync(parts[1], parts[0], cancellationToken: cancellationToken).ConfigureAwait(false);
        var fromBalancer = service.Status?.LoadBalancer?.Ingress?.Select(i => new V1IngressLoadBalancerIngress { Ip = i.Ip, Hostname = i.Hostname }).ToList() ?? [];
        if (fromBalancer.Count > 0)
        {
            return [.. fromBalancer];
        }

        IEnumerable<string> external = service.Spec?.ExternalIPs ?? [];
        if (!external.Any() && service.Spec?.ClusterIP is { } clusterIp && clusterIp != "None")
        {
            external = [clusterIp];
        }

        return [.. external.Select(ToEntry)];
    }

    /// <summary>Writes whenever a translation arrives, and every <see cref="StatusPublishingOptions.Resync"/>.</summary>
    public async Task RunWhileLeadingAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
            {
                Log.WriteFailed(_logger, ex.Message);
            }

            await _changed.WaitAsync(_options.Resync, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var addresses = await AddressesAsync(cancellationToken).ConfigureAwait(false);
        if (_published is not { } published)
        {
            return;
        }

        var served = published.Served.ToHashSet();
        foreach (var (key, ingress) in published.Cluster.Ingresses)
        {
            if (published.Cluster.OriginOf(new ObjectRef(KubeKinds.Ingress, key)) != ObjectOrigin.Kubernetes)
            {
                // Only an object from the API server has a status to write.
                continue;
            }

            var current = ingress.Status?.LoadBalancer?.Ingress ?? [];
            var ours = served.Contains(new ObjectRef(KubeKinds.Ingress, key));
            IList<V1IngressLoadBalancerIngress>? desired = ours
                ? addresses
                : Same(current, addresses) && current.Count > 0 ? [] : null;
            if (desired is null || Same(current, desired))
            {
                continue;
            }

            // The snapshot can lag the watch: the version this replica already wrote over is not written again.
            if (_written.TryGetValue(key, out var written) && written.ResourceVersion == ingress.Metadata.ResourceVersion && Same(written.Status, desired))
            {
                continue;
            }

            var update = new V1Ingress
            {
                ApiVersion = ingress.ApiVersion,
                Kind = ingress.Kind,
                Metadata = ingress.Metadata,
                Spec = ingress.Spec,
                Status = new V1IngressStatus { LoadBalancer = new V1IngressLoadBalancerStatus { Ingress = [.. desired] } },
            };
            try
            {
                await _client.NetworkingV1.ReplaceNamespacedIngressStatusAsync(update, key.Name, key.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                _written[key] = (ingress.Metadata.ResourceVersion, desired);
                Log.Wrote(_logger, key.ToString(), desired.Count == 0 ? "(cleared)" : string.Join(", ", desired.Select(d => d.Ip ?? d.Hostname)));
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
            {
                // Changed or gone since the watch last saw it: the next round works from the newer version.
            }
        }

        await _gateways.ReconcileAsync(published, addresses, cancellationToken).ConfigureAwait(false);
    }

    private static bool Same(IList<V1IngressLoadBalancerIngress> a, IList<V1IngressLoadBalancerIngress> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Ip == p.Second.Ip && p.First.Hostname == p.Second.Hostname);

    private static V1IngressLoadBalancerIngress ToEntry(string address) =>
        IPAddress.TryParse(address, out _) ? new V1IngressLoadBalancerIngress { Ip = address } : new V1IngressLoadBalancerIngress { Hostname = address };

    private static partial class Log
    {
        [LoggerMessage(203, LogLevel.Information, "Ingress {Ingress} status: {Addresses}")]
        public static partial void Wrote(ILogger logger, string ingress, string addresses);

        [LoggerMessage(204, LogLevel.Warning, "Writing Ingress status failed: {Error}")]
        public static partial void WriteFailed(ILogger logger, string error);
    }
}
