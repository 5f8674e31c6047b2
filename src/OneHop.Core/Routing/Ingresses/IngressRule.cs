using OneHop.Core.Configuration;

using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Routing.Ingresses;

/// <summary>One host + path of an Ingress, validated, with the field it came from.</summary>
internal sealed record IngressRule(string Host, string Path, PathMatchType PathType, BackendRef Backend, string Field)
{
    /// <summary>For a copy of a rule under one of ingress-nginx's <c>server-alias</c> names: the host it was written for.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? AliasOf { get; init; }
}
