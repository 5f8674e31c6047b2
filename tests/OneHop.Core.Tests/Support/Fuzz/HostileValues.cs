namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>Values that broke OneHop once or break parsers often: huge durations, odd hosts and paths, control characters.</summary>
internal static class HostileValues
{
    public static readonly string[] Strings =
    [
        string.Empty, " ", "99999999999h", "1e308s", "NaNs", "-1s", "0", "-1", "70000", "65536", "*", "*.", "*.*.example.com",
        "a..b", ".a.example.com", "a.example.com:99999", "[::1]", "::", "10.0.0.1", "300.1.1.1", "/", "//", "/a/../b", "%zz", "%2F",
        "relative", "true", "maybe", "max-age=", "header:", "cookie:", "client-ip", "maglev", "p2c", "IPv4", "IPv6", "FQDN",
        "TCP", "UDP", "Exact", "Prefix", "ImplementationSpecific", "Regex", "Pod", "ExternalName", "kubernetes.io/h2c", "grpc",
        "\0", "\u2028", "café", "\uFFFF", new string('a', 300), new string('9', 40), "${HOME}", "{{ .Values }}", "null", "~",
        "kubernetes.io/tls", "onehop", "onehop.dev/ingress-controller", "PreferClose", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ];

    public static readonly double[] Numbers =
    [
        0, -1, 1, 65535, 65536, 70000, int.MaxValue, (double)int.MaxValue + 1, long.MaxValue, -long.MaxValue, 1e308, 0.5, 1e-9, 9007199254740993,
    ];

    /// <summary>Annotation keys OneHop reads (and some it does not), to be given hostile values.</summary>
    public static readonly string[] AnnotationKeys =
    [
        "onehop.dev/load-balance", "onehop.dev/hash-key", "onehop.dev/hash-bounded-load", "onehop.dev/affinity-cookie", "onehop.dev/slow-start",
        "onehop.dev/ewma-decay", "onehop.dev/zone-aware", "onehop.dev/health-check-path", "onehop.dev/health-check-interval",
        "onehop.dev/health-check-timeout", "onehop.dev/health-check-healthy-threshold", "onehop.dev/health-check-unhealthy-threshold",
        "onehop.dev/outlier-consecutive-failures", "onehop.dev/outlier-base-ejection-time", "onehop.dev/outlier-max-ejection-percent",
        "onehop.dev/retries", "onehop.dev/retry-budget-percent", "onehop.dev/retry-min-per-second", "onehop.dev/concurrency-max-per-endpoint",
        "onehop.dev/concurrency-queue-size", "onehop.dev/concurrency-queue-timeout", "onehop.dev/timeout", "onehop.dev/ssl-redirect",
        "onehop.dev/hsts", "onehop.dev/client-ca-secret", "onehop.dev/backend-protocol", "onehop.dev/weight", "onehop.dev/unknown",
        "kubernetes.io/ingress.class", "ingressclass.kubernetes.io/is-default-class", "kubernetes.io/service-name",
    ];

    /// <summary>Pieces of YAML syntax, inserted into manifest and config text.</summary>
    public static readonly string[] YamlTokens =
    [
        "[", "]", "{", "}", ":", ": ", "- ", "\n", "\n  ", "\t", "#", "&a ", "*a", "*b", "!!binary ", "!!int ", "<<: *a\n", "---\n", "...\n",
        "\"", "'", "|\n", ">-\n", "null", "~", "? ", ",", "%YAML 1.2\n", "\\u0000", "\r", "\u00a0", "spec:", "metadata:", "name: x\n",
    ];

    public static string String(int index) => Strings[index % Strings.Length];

    public static double Number(int index) => Numbers[index % Numbers.Length];

    public static string AnnotationKey(int index) => AnnotationKeys[index % AnnotationKeys.Length];

    public static string YamlToken(int index) => YamlTokens[index % YamlTokens.Length];
}
