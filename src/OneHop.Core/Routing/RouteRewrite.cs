namespace OneHop.Core.Routing;

/// <summary>Gateway API's URLRewrite: the Host header and the path the pod gets instead of the client's.</summary>
internal sealed record RouteRewrite(string? Host, PathModifier? Path);
