using System.Collections.Immutable;
using System.Net;
using k8s.Models;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>
/// An EndpointSlice checked once: its endpoints' addresses parsed against its address type, and its valid TCP ports.
/// </summary>
/// <param name="Ports">The slice's valid ports; empty with <paramref name="AllPorts"/> when it lists none.</param>
/// <param name="AllPorts">True when the slice lists no ports at all, which means every port of the Service.</param>
/// <param name="Weight">The weight of its endpoints (annotation <c>onehop.dev/weight</c>), 1 by default.</param>
internal sealed record IndexedSlice(
    V1EndpointSlice Slice,
    ImmutableArray<(IPAddress Address, V1Endpoint Endpoint)> Endpoints,
    ImmutableArray<SlicePort> Ports,
    bool AllPorts,
    int Weight = 1);
