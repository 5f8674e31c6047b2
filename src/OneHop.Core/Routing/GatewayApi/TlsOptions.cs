namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// The <c>options</c> of a BackendTLSPolicy and of a listener's <c>tls</c>: key/value pairs for extended TLS settings.
/// Gateway API defines no key yet (un-prefixed names are reserved for it) and OneHop defines none of its own, so every
/// key is reported as ignored rather than dropped in silence: an option meant to tighten TLS must not look applied.
/// </summary>
internal static class TlsOptions
{
    /// <summary>One message per key (ordinal order), with its field, for each option that is ignored.</summary>
    public static IEnumerable<(string Field, string Message)> Ignored(IDictionary<string, string>? options, string field) =>
        (options ?? new Dictionary<string, string>())
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => ($"{field}[\"{o.Key}\"]", o.Key.Contains('/', StringComparison.Ordinal)
                ? $"option '{o.Key}' is not one OneHop knows (it defines no implementation-specific TLS option); ignored"
                : $"option '{o.Key}' is not defined by Gateway API (un-prefixed keys are reserved for it, and it defines none yet); ignored"));
}
