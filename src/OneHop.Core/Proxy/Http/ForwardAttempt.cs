using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>One attempt of a request: where it goes, under which snapshot, and whether a 502/503 may be held back for a retry.</summary>
internal readonly record struct ForwardAttempt(HttpRouting Routing, BackendState Backend, Destination Destination, bool MayHoldBack);
