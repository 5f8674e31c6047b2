namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary><c>auth-type: basic</c> with its <c>auth-secret</c> (a name, or <c>namespace/name</c>) and <c>auth-realm</c>.</summary>
internal sealed record NginxBasicAuth(string Secret, string Realm);
