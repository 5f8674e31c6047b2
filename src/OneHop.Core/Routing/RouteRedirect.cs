using System.Text.Json.Serialization;

namespace OneHop.Core.Routing;

/// <summary>
/// Gateway API's RequestRedirect: OneHop answers itself with <see cref="StatusCode"/> and a Location built from the
/// request with these parts replaced. A null part keeps the request's (the port follows the scheme when only the scheme
/// changes, as the spec says).
/// </summary>
internal sealed record RouteRedirect(string? Scheme, string? Host, int? Port, PathModifier? Path, int StatusCode)
{
    /// <summary>False when the Location is exactly the target, without the request's query (nginx's <c>return 301 URL</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool DropQuery { get; init; }

    /// <summary>
    /// The Location's authority is the request's Host header as sent, port included (nginx's <c>$http_host</c>), or,
    /// with <see cref="Host"/> set, that host without a port; not the listener's port.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NginxAuthority { get; init; }
}
