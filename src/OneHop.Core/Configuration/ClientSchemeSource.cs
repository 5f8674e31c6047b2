namespace OneHop.Core.Configuration;

/// <summary>
/// Where a listener learns the client's scheme (http or https): its own connection, or a header set by the trusted
/// proxy in front that terminated TLS. Only one header: a proxy that sets one passes the other on as the client sent it.
/// </summary>
internal enum ClientSchemeSource
{
    Connection,
    XForwardedProto,
    Forwarded,
}
