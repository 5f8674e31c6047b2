using OneHop.Core.Configuration;

namespace OneHop.Core.Routing.Ingresses;

/// <summary>One host + path of an Ingress, validated, with the field it came from.</summary>
internal sealed record IngressRule(string Host, string Path, PathMatchType PathType, BackendRef Backend, string Field);
