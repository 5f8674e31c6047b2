namespace OneHop.Core.Routing.L4;

/// <summary>One backend of a weighted L4 route and its share of the route's connections.</summary>
internal sealed record L4Split(string BackendId, int Weight);
