using System.Text.Json.Serialization;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// Client certificate validation on a Gateway's HTTPS port (<c>spec.tls.frontend</c>): the handshake asks for a client
/// certificate that must chain to <paramref name="CaPem"/>; with <paramref name="InsecureFallback"/> a client without
/// one, or with one that does not chain, is let in all the same.
/// </summary>
/// <param name="Source">Where the bundle came from (the ConfigMaps), for the admin API.</param>
internal sealed record FrontendValidation(
    [property: JsonIgnore] string CaPem,
    bool InsecureFallback,
    string Source);
