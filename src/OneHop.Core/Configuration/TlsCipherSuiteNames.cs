using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net.Security;

namespace OneHop.Core.Configuration;

/// <summary>
/// A list of TLS cipher suites as operators write them for nginx's <c>ssl_ciphers</c> and HAProxy's <c>ciphers</c>:
/// OpenSSL's names (<c>ECDHE-RSA-AES128-GCM-SHA256</c>) or IANA's (<c>TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256</c>, .NET's
/// <see cref="TlsCipherSuite"/> names), separated by colons. Only names: OpenSSL's aliases and operators (<c>HIGH</c>,
/// <c>!aNULL</c>, <c>+</c>, <c>@STRENGTH</c>) select suites by OpenSSL's own tables and version, which a .NET policy
/// cannot say, so they are refused with the reason rather than guessed at. As nginx's <c>ssl_ciphers</c>, the list is
/// TLS 1.2's: TLS 1.3's three suites stay offered unless the list names TLS 1.3 suites itself.
/// </summary>
internal static class TlsCipherSuiteNames
{
    private static readonly ImmutableArray<TlsCipherSuite> Tls13 =
        [TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256];

    private static readonly ImmutableArray<TlsCipherSuite> Tls13All = [.. Tls13, TlsCipherSuite.TLS_AES_128_CCM_SHA256, TlsCipherSuite.TLS_AES_128_CCM_8_SHA256];

    /// <summary>OpenSSL's names of the suites with RSA or ECDSA certificates, from <c>openssl ciphers -stdname ALL</c> (OpenSSL 3.0).</summary>
    /// <summary>
    /// OpenSSL's names of the TLS 1.2 suites with RSA or ECDSA certificates that OpenSSL 3.0 can negotiate, from
    /// <c>openssl ciphers -stdname ALL:COMPLEMENTOFALL</c> without the NULL, PSK and SRP ones. IANA's names are read only for
    /// these and TLS 1.3's: .NET silently drops a suite OpenSSL cannot use, so a name outside them could leave TLS 1.2 with
    /// nothing to offer.
    /// </summary>
    private static readonly FrozenDictionary<string, string> OpenSsl = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ECDHE-ECDSA-AES256-GCM-SHA384"] = "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        ["ECDHE-RSA-AES256-GCM-SHA384"] = "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        ["DHE-RSA-AES256-GCM-SHA384"] = "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        ["ECDHE-ECDSA-CHACHA20-POLY1305"] = "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        ["ECDHE-RSA-CHACHA20-POLY1305"] = "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        ["DHE-RSA-CHACHA20-POLY1305"] = "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        ["ECDHE-ECDSA-AES256-CCM8"] = "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        ["ECDHE-ECDSA-AES256-CCM"] = "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
        ["DHE-RSA-AES256-CCM8"] = "TLS_DHE_RSA_WITH_AES_256_CCM_8",
        ["DHE-RSA-AES256-CCM"] = "TLS_DHE_RSA_WITH_AES_256_CCM",
        ["ECDHE-ECDSA-ARIA256-GCM-SHA384"] = "TLS_ECDHE_ECDSA_WITH_ARIA_256_GCM_SHA384",
        ["ECDHE-ARIA256-GCM-SHA384"] = "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384",
        ["DHE-RSA-ARIA256-GCM-SHA384"] = "TLS_DHE_RSA_WITH_ARIA_256_GCM_SHA384",
        ["ECDHE-ECDSA-AES128-GCM-SHA256"] = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        ["ECDHE-RSA-AES128-GCM-SHA256"] = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        ["DHE-RSA-AES128-GCM-SHA256"] = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        ["ECDHE-ECDSA-AES128-CCM8"] = "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
        ["ECDHE-ECDSA-AES128-CCM"] = "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
        ["DHE-RSA-AES128-CCM8"] = "TLS_DHE_RSA_WITH_AES_128_CCM_8",
        ["DHE-RSA-AES128-CCM"] = "TLS_DHE_RSA_WITH_AES_128_CCM",
        ["ECDHE-ECDSA-ARIA128-GCM-SHA256"] = "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256",
        ["ECDHE-ARIA128-GCM-SHA256"] = "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
        ["DHE-RSA-ARIA128-GCM-SHA256"] = "TLS_DHE_RSA_WITH_ARIA_128_GCM_SHA256",
        ["ECDHE-ECDSA-AES256-SHA384"] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        ["ECDHE-RSA-AES256-SHA384"] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        ["DHE-RSA-AES256-SHA256"] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        ["ECDHE-ECDSA-CAMELLIA256-SHA384"] = "TLS_ECDHE_ECDSA_WITH_CAMELLIA_256_CBC_SHA384",
        ["ECDHE-RSA-CAMELLIA256-SHA384"] = "TLS_ECDHE_RSA_WITH_CAMELLIA_256_CBC_SHA384",
        ["DHE-RSA-CAMELLIA256-SHA256"] = "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        ["ECDHE-ECDSA-AES128-SHA256"] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        ["ECDHE-RSA-AES128-SHA256"] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        ["DHE-RSA-AES128-SHA256"] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        ["ECDHE-ECDSA-CAMELLIA128-SHA256"] = "TLS_ECDHE_ECDSA_WITH_CAMELLIA_128_CBC_SHA256",
        ["ECDHE-RSA-CAMELLIA128-SHA256"] = "TLS_ECDHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        ["DHE-RSA-CAMELLIA128-SHA256"] = "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        ["ECDHE-ECDSA-AES256-SHA"] = "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        ["ECDHE-RSA-AES256-SHA"] = "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        ["DHE-RSA-AES256-SHA"] = "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        ["DHE-RSA-CAMELLIA256-SHA"] = "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA",
        ["ECDHE-ECDSA-AES128-SHA"] = "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        ["ECDHE-RSA-AES128-SHA"] = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        ["DHE-RSA-AES128-SHA"] = "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        ["DHE-RSA-CAMELLIA128-SHA"] = "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA",
        ["AES256-GCM-SHA384"] = "TLS_RSA_WITH_AES_256_GCM_SHA384",
        ["AES256-CCM8"] = "TLS_RSA_WITH_AES_256_CCM_8",
        ["AES256-CCM"] = "TLS_RSA_WITH_AES_256_CCM",
        ["ARIA256-GCM-SHA384"] = "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
        ["AES128-GCM-SHA256"] = "TLS_RSA_WITH_AES_128_GCM_SHA256",
        ["AES128-CCM8"] = "TLS_RSA_WITH_AES_128_CCM_8",
        ["AES128-CCM"] = "TLS_RSA_WITH_AES_128_CCM",
        ["ARIA128-GCM-SHA256"] = "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
        ["AES256-SHA256"] = "TLS_RSA_WITH_AES_256_CBC_SHA256",
        ["CAMELLIA256-SHA256"] = "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        ["AES128-SHA256"] = "TLS_RSA_WITH_AES_128_CBC_SHA256",
        ["CAMELLIA128-SHA256"] = "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        ["AES256-SHA"] = "TLS_RSA_WITH_AES_256_CBC_SHA",
        ["CAMELLIA256-SHA"] = "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
        ["AES128-SHA"] = "TLS_RSA_WITH_AES_128_CBC_SHA",
        ["CAMELLIA128-SHA"] = "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Iana = OpenSsl.Values.Concat(Tls13All.Select(s => s.ToString())).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The suites <paramref name="value"/> names, in its order, TLS 1.3's added when it names none; null with the reason when a name is not one.</summary>
    public static ImmutableArray<TlsCipherSuite>? Parse(string value, out string? error)
    {
        var suites = ImmutableArray.CreateBuilder<TlsCipherSuite>();
        foreach (var token in value.Split([':', ',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var iana = OpenSsl.GetValueOrDefault(token) ?? token;
            if (!Iana.Contains(iana) || !Enum.TryParse<TlsCipherSuite>(iana, ignoreCase: false, out var suite))
            {
                error = IsAliasOrOperator(token)
                    ? $"'{token}' is an OpenSSL alias or operator; OneHop reads cipher suites by name only (such as ECDHE-RSA-AES128-GCM-SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), separated by ':'"
                    : $"'{token}' is not a cipher suite OneHop knows (OpenSSL's names such as ECDHE-RSA-AES128-GCM-SHA256, or IANA's such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, separated by ':'; NULL, PSK and SRP suites are not offered)";
                return null;
            }

            if (!suites.Contains(suite))
            {
                suites.Add(suite);
            }
        }

        if (suites.Count == 0)
        {
            error = "names no cipher suite";
            return null;
        }

        if (suites.All(Tls13All.Contains))
        {
            error = "names no TLS 1.2 suite: TLS 1.2 clients could not connect (TLS 1.3's suites are offered without being named)";
            return null;
        }

        if (!suites.Any(Tls13All.Contains))
        {
            suites.AddRange(Tls13);
        }

        error = null;
        return suites.ToImmutable();
    }

    /// <summary>Whether <paramref name="token"/> is the name of a suite OneHop offers, OpenSSL's or IANA's.</summary>
    public static bool IsName(string token) => OpenSsl.ContainsKey(token) || Iana.Contains(token);

    /// <summary>
    /// Whether <paramref name="token"/> is OpenSSL cipher-string language rather than a suite's name: an operator
    /// (<c>!</c>, <c>-</c>, <c>+</c>, <c>@</c>) or an alias (<c>HIGH</c>, <c>kEECDH</c>, <c>aRSA</c>, <c>EECDH+AESGCM</c>): capitals
    /// and no dash inside, as suites' names have.
    /// </summary>
    public static bool IsAliasOrOperator(string token) =>
        token.Length > 0 && (token[0] is '!' or '-' or '+' or '@' || token.Contains('+', StringComparison.Ordinal)
            || (!token.Contains('-', StringComparison.Ordinal) && !token.StartsWith("TLS_", StringComparison.Ordinal) && token.Any(char.IsAsciiLetterUpper)));
}
