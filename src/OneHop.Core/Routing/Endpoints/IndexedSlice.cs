using System.Collections.Immutable;
using System.Net;
using k8s.Models;

namespace OneHop.Core.Routing.Endpoints;

/// <summary>An EndpointSlice with its endpoints' addresses already parsed and checked against its address type.</summary>
/// <param name="Weight">The weight of its endpoints (annotation <c>onehop.dev/weight</c>), 1 by default.</param>
internal sealed record IndexedSlice(V1EndpointSlice Slice, ImmutableArray<(IPAddress Address, V1Endpoint Endpoint)> Endpoints, int Weight = 1);
