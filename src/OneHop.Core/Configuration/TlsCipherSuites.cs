namespace OneHop.Core.Configuration;

/// <summary>Which TLS 1.2 cipher suites the listeners offer (<c>tls.cipherSuites</c>); TLS 1.3's are the same either way.</summary>
internal enum TlsCipherSuites
{
    /// <summary>
    /// .NET's own list for OpenSSL (no policy), with session resumption: .NET on Linux shares one OpenSSL context, and
    /// so its session cache and ticket keys, across handshakes only while no cipher-suite policy is set. OpenSSL's
    /// default list at the system's security level (Debian: <c>DEFAULT:@SECLEVEL=2</c>), so TLS 1.2 also accepts
    /// CBC suites such as ECDHE-ECDSA-AES128-SHA256.
    /// </summary>
    Default,

    /// <summary>
    /// Mozilla's "intermediate" list: ECDHE with AES-GCM or ChaCha20 only (no CBC, no RSA key exchange). Costs session
    /// resumption: with a policy set, .NET makes a new OpenSSL context per handshake, so every handshake is a full one.
    /// </summary>
    Modern,

    /// <summary>The suites <c>tls.cipherSuites</c> names (<see cref="TlsCipherSuiteNames"/>), as a policy: no resumption either.</summary>
    Listed,
}
