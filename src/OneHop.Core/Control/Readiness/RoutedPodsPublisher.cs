using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OneHop.Core.Concurrency;
using OneHop.Core.Routing;

namespace OneHop.Core.Control.Readiness;

/// <summary>
/// Every replica, leader or not, publishes in its own routed Lease (<see cref="RoutedLease"/>) the pod addresses of the
/// snapshot it has applied: it is a snapshot consumer placed after the data planes, so a pod is listed only once this
/// replica really routes to it. The Lease is renewed every third of its duration; a replica that dies stops renewing and
/// the leader stops waiting for it once the Lease expires.
/// </summary>
internal sealed partial class RoutedPodsPublisher(
    IKubernetes client,
    ReadinessGateOptions options,
    Func<string, bool> probedHealthy,
    TimeProvider time,
    ILogger<RoutedPodsPublisher> logger) : ISnapshotConsumer
{
    private readonly AsyncSignal _changed = new();
    private volatile PublishedSnapshot? _published;
    private V1Lease? _lease;
    private string? _written;

    /// <summary>Takes the applied snapshot in; the Lease is written on the publisher's loop.</summary>
    public void Apply(PublishedSnapshot published)
    {
        _published = published;
        _changed.Set();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var renew = options.LeaseDuration / 3;
        var renewedAt = long.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            // A health probe's verdict changes the list without a new snapshot: looked at every second.
            await _changed.WaitAsync(TimeSpan.FromSeconds(1), time, cancellationToken).ConfigureAwait(false);
            if (_published is not { } published)
            {
                continue;
            }

            var addresses = RoutedLease.Addresses(published.Snapshot, probedHealthy);
            var due = renewedAt == long.MinValue || time.GetElapsedTime(renewedAt) >= renew;
            if (addresses == _written && !due)
            {
                continue;
            }

            try
            {
                await WriteAsync(addresses, published.Version, cancellationToken).ConfigureAwait(false);
                renewedAt = time.GetTimestamp();
                if (addresses != _written)
                {
                    Log.Published(logger, RoutedLease.Name(options), addresses.Length == 0 ? 0 : addresses.Count(c => c == ',') + 1, published.Version);
                }

                _written = addresses;
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException)
            {
                _lease = null;
                Log.WriteFailed(logger, ex.Message);
            }
        }
    }

    private async Task WriteAsync(string addresses, long version, CancellationToken cancellationToken)
    {
        var name = RoutedLease.Name(options);
        var now = time.GetUtcNow().UtcDateTime;
        if (_lease is null)
        {
            try
            {
                _lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(name, options.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                _lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(New(name, addresses, version, now), options.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var lease = _lease;
        lease.Metadata.Labels ??= new Dictionary<string, string>();
        lease.Metadata.Labels[RoutedLease.GroupLabel] = options.Group;
        lease.Metadata.Annotations ??= new Dictionary<string, string>();
        lease.Metadata.Annotations[RoutedLease.AddressesAnnotation] = addresses;
        lease.Metadata.Annotations[RoutedLease.VersionAnnotation] = version.ToString(CultureInfo.InvariantCulture);
        lease.Spec ??= new V1LeaseSpec();
        lease.Spec.HolderIdentity = options.Identity;
        lease.Spec.LeaseDurationSeconds = (int)Math.Ceiling(options.LeaseDuration.TotalSeconds);
        lease.Spec.RenewTime = now;
        try
        {
            _lease = await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, options.LeaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound)
        {
            // Someone changed or removed it: read it again on the next round.
            _lease = null;
            throw;
        }
    }

    private V1Lease New(string name, string addresses, long version, DateTime now) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = options.LeaseNamespace,
            Labels = new Dictionary<string, string> { [RoutedLease.GroupLabel] = options.Group },
            Annotations = new Dictionary<string, string>
            {
                [RoutedLease.AddressesAnnotation] = addresses,
                [RoutedLease.VersionAnnotation] = version.ToString(CultureInfo.InvariantCulture),
            },
        },
        Spec = new V1LeaseSpec
        {
            HolderIdentity = options.Identity,
            LeaseDurationSeconds = (int)Math.Ceiling(options.LeaseDuration.TotalSeconds),
            AcquireTime = now,
            RenewTime = now,
        },
    };

    private static partial class Log
    {
        [LoggerMessage(230, LogLevel.Debug, "Routed Lease {Lease}: {Count} pod addresses from snapshot {Version}")]
        public static partial void Published(ILogger logger, string lease, int count, long version);

        [LoggerMessage(231, LogLevel.Warning, "Writing the routed Lease failed: {Error}; retrying")]
        public static partial void WriteFailed(ILogger logger, string error);
    }
}
