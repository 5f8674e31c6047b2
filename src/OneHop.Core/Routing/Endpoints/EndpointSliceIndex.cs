using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// EndpointSlices grouped by the Service they belong to (label <c>kubernetes.io/service-name</c>), checked once:
/// slices without the label, FQDN slices and unparsable addresses are reported and left out.
/// </summary>
internal sealed class EndpointSliceIndex
{
    private readonly Dictionary<ObjectKey, List<IndexedSlice>> _byService = [];

    public EndpointSliceIndex(ClusterState state, List<Diagnostic> diagnostics, TranslationCache? cache = null)
    {
        foreach (var (key, slice) in state.EndpointSlices.OrderBy(p => p.Key))
        {
            var origin = state.OriginOf(new ObjectRef(KubeKinds.EndpointSlice, key));
            if (cache is null || !cache.TryGetSlice(key, slice, origin, out var entry))
            {
                var reference = new ObjectRef(KubeKinds.EndpointSlice, key);
                var failures = new List<Diagnostic>();
                entry = TranslationGuard.Run(() => Index(key, slice, origin), () => new(slice, origin, default, null, [.. failures]), failures, reference, origin);
                cache?.PutSlice(key, entry);
            }

            diagnostics.AddRange(entry.Diagnostics);
            if (entry.Indexed is not { } indexed)
            {
                continue;
            }

            if (!_byService.TryGetValue(entry.Service, out var slices))
            {
                slices = [];
                _byService[entry.Service] = slices;
            }

            slices.Add(indexed);
        }
    }

    private static TranslationCache.SliceEntry Index(ObjectKey key, k8s.Models.V1EndpointSlice slice, ObjectOrigin origin)
    {
        var reference = new ObjectRef(KubeKinds.EndpointSlice, key);
        var diagnostics = new List<Diagnostic>();
        if (slice.Metadata.Labels?.TryGetValue(KubeKinds.ServiceNameLabel, out var service) != true || string.IsNullOrEmpty(service))
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.SliceWithoutService,
                $"ignored: an EndpointSlice needs the label {KubeKinds.ServiceNameLabel} to belong to a Service",
                reference,
                origin,
                "metadata.labels"));
            return new(slice, origin, default, null, [.. diagnostics]);
        }

        var serviceKey = new ObjectKey(key.Namespace, service);
        var family = slice.AddressType switch
        {
            "IPv4" => AddressFamily.InterNetwork,
            "IPv6" => AddressFamily.InterNetworkV6,
            _ => AddressFamily.Unknown,
        };
        if (family == AddressFamily.Unknown)
        {
            diagnostics.Add(Diagnostic.Warning(
                DiagnosticCodes.UnsupportedAddressType,
                $"ignored: addressType {slice.AddressType ?? "(none)"} is not IPv4 or IPv6",
                reference,
                origin,
                "addressType"));
            return new(slice, origin, serviceKey, null, [.. diagnostics]);
        }

        var endpoints = ImmutableArray.CreateBuilder<(IPAddress, k8s.Models.V1Endpoint)>();
        var list = slice.Endpoints ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is null)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidEndpointAddress, "an endpoint must be an object, not null; it is skipped", reference, origin, $"endpoints[{i}]"));
                continue;
            }

            // Only the first address has meaning (discovery.k8s.io/v1).
            var text = list[i].Addresses?.FirstOrDefault();
            if (text is null || !IPAddress.TryParse(text, out var address) || address.AddressFamily != family)
            {
                diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidEndpointAddress,
                    $"'{text}' is not an {slice.AddressType} address; this endpoint is skipped",
                    reference,
                    origin,
                    $"endpoints[{i}].addresses[0]"));
                continue;
            }

            endpoints.Add((address, list[i]));
        }

        var ports = Ports(slice, reference, origin, diagnostics);
        var indexed = new IndexedSlice(slice, endpoints.ToImmutable(), ports, AllPorts: slice.Ports is null || slice.Ports.Count == 0, Weight(slice, reference, origin, diagnostics));
        return new(slice, origin, serviceKey, indexed, [.. diagnostics]);
    }

    /// <summary>The slice's ports that can carry traffic; null entries and numbers outside 1-65535 are reported and left out.</summary>
    private static ImmutableArray<SlicePort> Ports(k8s.Models.V1EndpointSlice slice, ObjectRef reference, ObjectOrigin origin, List<Diagnostic> diagnostics)
    {
        var ports = ImmutableArray.CreateBuilder<SlicePort>();
        var list = slice.Ports ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var port = list[i];
            var problem = port is null ? "a port must be an object, not null"
                : port.Port is < 1 or > 65535 ? $"{port.Port} is not a port from 1 to 65535"
                : null;
            if (problem is not null)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidEndpointPort, $"{problem}; this port is skipped", reference, origin, $"ports[{i}]"));
                continue;
            }

            ports.Add(new SlicePort(port!.Name ?? string.Empty, port.Port, port.Protocol ?? "TCP"));
        }

        return ports.ToImmutable();
    }

    private static int Weight(k8s.Models.V1EndpointSlice slice, ObjectRef reference, ObjectOrigin origin, List<Diagnostic> diagnostics)
    {
        if (slice.Metadata.Annotations?.TryGetValue(Annotations.Weight, out var text) != true)
        {
            return 1;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var weight) && weight is >= 1 and <= 1000)
        {
            return weight;
        }

        diagnostics.Add(Diagnostic.Warning(DiagnosticCodes.InvalidAnnotation, $"'{text}' is not a weight from 1 to 1000; its endpoints weigh 1", reference, origin, $"metadata.annotations[{Annotations.Weight}]"));
        return 1;
    }

    public IReadOnlyList<IndexedSlice> SlicesOf(ObjectKey service) =>
        _byService.TryGetValue(service, out var slices) ? slices : [];
}
