




namespace OneHop.Core.Configuration.Policies;

/// <summary>What a consistent-hash algorithm hashes to pick an endpoint.</summary>
internal enum HashKeySource
{
    /// <summary>The client's address (from the connection, or PROXY protocol when trusted).</summary>
    ClientIp,

    /// <summary>A request header, e.g. a user or tenant id.</summary>
    Header,

    /// <summary>A request cookie.</summary>
    Cookie,

    /// <summary>The request path, for cache-friendly sharding.</summary>
    Path,
}
