using OneHop.Core.Configuration;

namespace OneHop.Core.Proxy.Connections;

/// <summary>
/// Connection feature: this connection came, with PROXY protocol, from a trusted proxy in front whose header about
/// the client's scheme is to be believed. Set only by <see cref="ProxyProtocolMiddleware"/>, so a client talking to
/// OneHop directly never gets its headers believed.
/// </summary>
internal sealed class TrustedSchemeHeader
{
    private static readonly TrustedSchemeHeader XForwardedProto = new(ClientSchemeSource.XForwardedProto);
    private static readonly TrustedSchemeHeader Forwarded = new(ClientSchemeSource.Forwarded);

    private TrustedSchemeHeader(ClientSchemeSource source) => Source = source;

    public ClientSchemeSource Source { get; }

    /// <summary>The shared instance for <paramref name="source"/>; null for <see cref="ClientSchemeSource.Connection"/>.</summary>
    public static TrustedSchemeHeader? For(ClientSchemeSource source) => source switch
    {
        ClientSchemeSource.XForwardedProto => XForwardedProto,
        ClientSchemeSource.Forwarded => Forwarded,
        _ => null,
    };
}
