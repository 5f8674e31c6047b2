using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.Routing;

namespace OneHop.Core.Control.Readiness;

/// <summary>
/// A replica's routed Lease: a <c>coordination.k8s.io/v1</c> Lease per replica, renewed like a heartbeat, whose annotation
/// lists the pod addresses its applied snapshot routes to. The leader reads every live one to open the readiness gate.
/// </summary>
internal static class RoutedLease
{
    /// <summary>Label naming the group of replicas (<see cref="ReadinessGateOptions.Group"/>) a Lease belongs to.</summary>
    public const string GroupLabel = "onehop.dev/routed-group";

    /// <summary>Annotation: the routed pod addresses, sorted and comma-separated.</summary>
    public const string AddressesAnnotation = "onehop.dev/routed";

    /// <summary>Annotation: the snapshot version those addresses come from, for operators reading the Lease.</summary>
    public const string VersionAnnotation = "onehop.dev/routed-version";

    /// <summary>The Lease's name: group and identity, lowercased, cut to the 253 characters a name may have.</summary>
    public static string Name(ReadinessGateOptions options)
    {
        var name = $"{options.Group}-routed-{options.Identity}".ToLowerInvariant();
        return name.Length <= 253 ? name : name[..253].TrimEnd('-', '.');
    }

    /// <summary>
    /// The pod addresses <paramref name="snapshot"/> sends new traffic to: ready (or gated) endpoints of Service backends,
    /// and, where the backend has an active health check, only those its probes found healthy.
    /// </summary>
    public static string Addresses(RoutingSnapshot snapshot, Func<string, bool> probedHealthy)
    {
        var addresses = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var backend in snapshot.Backends.Concat(snapshot.L4?.Backends ?? []))
        {
            if (backend.Kind != BackendKind.Service)
            {
                continue;
            }

            foreach (var endpoint in backend.Endpoints)
            {
                if (endpoint.State == EndpointState.Ready && (backend.Policy.Probe is null || probedHealthy(endpoint.Id)))
                {
                    addresses.Add(endpoint.Address);
                }
            }
        }

        return string.Join(',', addresses);
    }

    /// <summary>The addresses a Lease lists.</summary>
    public static ImmutableHashSet<string> Parse(V1Lease lease) =>
        lease.Metadata.Annotations?.TryGetValue(AddressesAnnotation, out var text) == true && !string.IsNullOrEmpty(text)
            ? [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    /// <summary>True while the Lease's holder renews it: last renewal plus its duration is still ahead of <paramref name="now"/>.</summary>
    public static bool Live(V1Lease lease, DateTimeOffset now) =>
        lease.Spec?.RenewTime is { } renewed && lease.Spec.LeaseDurationSeconds is { } seconds
        && new DateTimeOffset(DateTime.SpecifyKind(renewed, DateTimeKind.Utc)).AddSeconds(seconds) > now;
}
