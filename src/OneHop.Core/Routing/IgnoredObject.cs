using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>An object OneHop deliberately does not serve (an Ingress of another class), and why.</summary>
internal sealed record IgnoredObject(ObjectRef Object, string Reason);
