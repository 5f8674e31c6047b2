namespace OneHop.Core.Proxy.Http;

/// <summary>A YARP route's place in a route table: the table's version and the route's index in it.</summary>
internal readonly record struct RouteEdge(long Version, int Index);
