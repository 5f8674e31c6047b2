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

    /// <summary>OpenSSL's names of the suites with RSA or ECDSA certificates, from <c>openssl ciphers -stdname ALL</c> (OpenSSL 3.0).</summary>
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
        ["RSA-PSK-AES256-GCM-SHA384"] = "TLS_RSA_PSK_WITH_AES_256_GCM_SHA384",
        ["RSA-PSK-CHACHA20-POLY1305"] = "TLS_RSA_PSK_WITH_CHACHA20_POLY1305_SHA256",
        ["RSA-PSK-ARIA256-GCM-SHA384"] = "TLS_RSA_PSK_WITH_ARIA_256_GCM_SHA384",
        ["AES256-GCM-SHA384"] = "TLS_RSA_WITH_AES_256_GCM_SHA384",
        ["AES256-CCM8"] = "TLS_RSA_WITH_AES_256_CCM_8",
        ["AES256-CCM"] = "TLS_RSA_WITH_AES_256_CCM",
        ["ARIA256-GCM-SHA384"] = "TLS_RSA_WITH_ARIA_256_GCM_SHA384",
        ["RSA-PSK-AES128-GCM-SHA256"] = "TLS_RSA_PSK_WITH_AES_128_GCM_SHA256",
        ["RSA-PSK-ARIA128-GCM-SHA256"] = "TLS_RSA_PSK_WITH_ARIA_128_GCM_SHA256",
        ["AES128-GCM-SHA256"] = "TLS_RSA_WITH_AES_128_GCM_SHA256",
        ["AES128-CCM8"] = "TLS_RSA_WITH_AES_128_CCM_8",
        ["AES128-CCM"] = "TLS_RSA_WITH_AES_128_CCM",
        ["ARIA128-GCM-SHA256"] = "TLS_RSA_WITH_ARIA_128_GCM_SHA256",
        ["AES256-SHA256"] = "TLS_RSA_WITH_AES_256_CBC_SHA256",
        ["CAMELLIA256-SHA256"] = "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA256",
        ["AES128-SHA256"] = "TLS_RSA_WITH_AES_128_CBC_SHA256",
        ["CAMELLIA128-SHA256"] = "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA256",
        ["SRP-RSA-AES-256-CBC-SHA"] = "TLS_SRP_SHA_RSA_WITH_AES_256_CBC_SHA",
        ["RSA-PSK-AES256-CBC-SHA384"] = "TLS_RSA_PSK_WITH_AES_256_CBC_SHA384",
        ["RSA-PSK-AES256-CBC-SHA"] = "TLS_RSA_PSK_WITH_AES_256_CBC_SHA",
        ["RSA-PSK-CAMELLIA256-SHA384"] = "TLS_RSA_PSK_WITH_CAMELLIA_256_CBC_SHA384",
        ["AES256-SHA"] = "TLS_RSA_WITH_AES_256_CBC_SHA",
        ["CAMELLIA256-SHA"] = "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA",
        ["SRP-RSA-AES-128-CBC-SHA"] = "TLS_SRP_SHA_RSA_WITH_AES_128_CBC_SHA",
        ["RSA-PSK-AES128-CBC-SHA256"] = "TLS_RSA_PSK_WITH_AES_128_CBC_SHA256",
        ["RSA-PSK-AES128-CBC-SHA"] = "TLS_RSA_PSK_WITH_AES_128_CBC_SHA",
        ["RSA-PSK-CAMELLIA128-SHA256"] = "TLS_RSA_PSK_WITH_CAMELLIA_128_CBC_SHA256",
        ["AES128-SHA"] = "TLS_RSA_WITH_AES_128_CBC_SHA",
        ["CAMELLIA128-SHA"] = "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA",
        ["ECDHE-ECDSA-NULL-SHA"] = "TLS_ECDHE_ECDSA_WITH_NULL_SHA",
        ["ECDHE-RSA-NULL-SHA"] = "TLS_ECDHE_RSA_WITH_NULL_SHA",
        ["NULL-SHA256"] = "TLS_RSA_WITH_NULL_SHA256",
        ["RSA-PSK-NULL-SHA384"] = "TLS_RSA_PSK_WITH_NULL_SHA384",
        ["RSA-PSK-NULL-SHA256"] = "TLS_RSA_PSK_WITH_NULL_SHA256",
        ["RSA-PSK-NULL-SHA"] = "TLS_RSA_PSK_WITH_NULL_SHA",
        ["NULL-SHA"] = "TLS_RSA_WITH_NULL_SHA",
        ["NULL-MD5"] = "TLS_RSA_WITH_NULL_MD5",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The suites <paramref name="value"/> names, in its order, TLS 1.3's added when it names none; null with the reason when a name is not one.</summary>
    public static ImmutableArray<TlsCipherSuite>? Parse(string value, out string? error)
    {
        var suites = ImmutableArray.CreateBuilder<TlsCipherSuite>();
        foreach (var token in value.Split([':', ',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var iana = OpenSsl.GetValueOrDefault(token) ?? token;
            if (!iana.StartsWith("TLS_", StringComparison.Ordinal) || !Enum.TryParse<TlsCipherSuite>(iana, ignoreCase: false, out var suite) || !Enum.IsDefined(suite))
            {
                error = token.Length > 0 && (token[0] is '!' or '-' or '+' or '@' || token.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
                    ? $"'{token}' is an OpenSSL alias or operator; OneHop reads cipher suites by name only (such as ECDHE-RSA-AES128-GCM-SHA256 or TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256), separated by ':'"
                    : $"'{token}' is not a cipher suite OneHop knows (OpenSSL's names such as ECDHE-RSA-AES128-GCM-SHA256, or IANA's such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, separated by ':')";
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

        if (!suites.Any(Tls13.Contains))
        {
            suites.AddRange(Tls13);
        }

        error = null;
        return suites.ToImmutable();
    }
}
