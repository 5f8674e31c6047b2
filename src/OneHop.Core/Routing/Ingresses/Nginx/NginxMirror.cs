namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// ingress-nginx's <c>mirror-target</c> and its companions: <paramref name="Origin"/> is the URL's scheme and authority
/// (the host written out), <paramref name="Target"/> the rest with its nginx variables (null when the URL ends at the
/// authority), <paramref name="Host"/> the copies' Host header (<c>mirror-host</c>, else the URL's host), and
/// <paramref name="RequestBody"/> is <c>mirror-request-body: on</c>.
/// </summary>
internal sealed record NginxMirror(Uri Origin, string? Target, string Host, bool RequestBody);
