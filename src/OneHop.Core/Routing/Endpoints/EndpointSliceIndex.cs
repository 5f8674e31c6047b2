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

    public EndpointSliceIndex(ClusterState state, List<Diagnostic> diagnostics)
    {
        foreach (var (key, slice) in state.EndpointSlices.OrderBy(p => p.Key))
        {
            var reference = new ObjectRef(KubeKinds.EndpointSlice, key);
            var origin = state.OriginOf(reference);
            if (slice.Metadata.Labels?.TryGetValue(KubeKinds.ServiceNameLabel, out var service) != true || string.IsNullOrEmpty(service))
            {
                diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.SliceWithoutService,
                    $"ignored: an EndpointSlice needs the label {KubeKinds.ServiceNameLabel} to belong to a Service",
                    reference,
                    origin,
                    "metadata.labels"));
                continue;
            }

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
                continue;
            }

            var endpoints = ImmutableArray.CreateBuilder<(IPAddress, k8s.Models.V1Endpoint)>();
            var list = slice.Endpoints ?? [];
            for (var i = 0; i < list.Count; i++)
            {
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

            var serviceKey = new ObjectKey(key.Namespace, service);
            if (!_byService.TryGetValue(serviceKey, out var slices))
            {
                slices = [];
                _byService[serviceKey] = slices;
            }

            slices.Add(new IndexedSlice(slice, endpoints.ToImmutable(), Weight(slice, reference, origin, diagnostics)));
        }
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
