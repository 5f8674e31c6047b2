namespace OneHop.Core.Tls;

/// <summary>A certificate OneHop presents, for the admin API and the expiry metric.</summary>
/// <param name="Id">Where it came from: <c>Secret shop/shop-tls</c>, a file path, or <c>built-in</c>.</param>
/// <param name="Hosts">The SNI names it is served for (a name another certificate took first is not listed).</param>
/// <param name="IsDefault">Served when no name matches the client's SNI.</param>
internal sealed record ServedCertificate(string Id, string Subject, DateTimeOffset NotAfter, IReadOnlyList<string> Hosts, bool IsDefault);
