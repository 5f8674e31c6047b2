using System.Globalization;

namespace OneHop.Core.Configuration.Policies;

/// <summary>
/// Reads policy settings onto a base policy. Annotations (<c>onehop.dev/slow-start: 30s</c>) and config-file fields
/// (<c>slowStart: 30s</c>) go through the same code, so both mean exactly the same. Invalid values are reported with
/// their field and ignored.
/// </summary>
internal static class BackendPolicyReader
{
    public const string AnnotationPrefix = "onehop.dev/";

    /// <summary>Every key, as an annotation takes it after the prefix.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "load-balance", "hash-key", "hash-bounded-load", "affinity-cookie", "slow-start", "ewma-decay", "zone-aware",
        "health-check-path", "health-check-interval", "health-check-timeout", "health-check-healthy-threshold", "health-check-unhealthy-threshold",
        "outlier-consecutive-failures", "outlier-base-ejection-time", "outlier-max-ejection-percent",
        "retries", "retry-budget-percent", "retry-min-per-second",
        "concurrency-max-per-endpoint", "concurrency-queue-size", "concurrency-queue-timeout",
    ];

    /// <summary>The <c>onehop.dev/</c> annotations that are not policy settings, and the kind each is read on.</summary>
    private static readonly Dictionary<string, string> ReadElsewhere = new(StringComparer.Ordinal)
    {
        ["timeout"] = "Ingress",
        ["compression"] = "Ingress",
        ["ssl-redirect"] = "Ingress",
        ["ssl-redirect-port"] = "Ingress",
        ["force-ssl-redirect"] = "Ingress",
        ["hsts"] = "Ingress",
        ["client-ca-secret"] = "Ingress",
        ["ssl-passthrough"] = "Ingress",
        ["backend-protocol"] = "Service",
        ["reach"] = "Service",
        ["weight"] = "EndpointSlice",
    };

    /// <summary>
    /// The settings among the annotations of a <paramref name="kind"/> (Service or Ingress); other <c>onehop.dev/</c>
    /// annotations are reported as unknown, or as misplaced when they belong on another kind.
    /// </summary>
    public static IEnumerable<PolicySetting> FromAnnotations(IDictionary<string, string>? annotations, string kind, Action<string, string> report)
    {
        foreach (var (name, value) in annotations ?? new Dictionary<string, string>())
        {
            // A manifest can hold a null annotation value (the API server cannot): it reads as empty, and is reported so.
            if (name is null || !name.StartsWith(AnnotationPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var key = name[AnnotationPrefix.Length..];
            var field = $"metadata.annotations[{name}]";
            if (Keys.Contains(key))
            {
                yield return new PolicySetting(key, value ?? string.Empty, field);
            }
            else if (ReadElsewhere.TryGetValue(key, out var readOn))
            {
                if (readOn != kind)
                {
                    report(field, $"not read on {("AEIOU".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a")} {kind}: {name} belongs on the {readOn}");
                }
            }
            else
            {
                report(field, $"unknown annotation; OneHop reads {string.Join(", ", Keys.Select(k => AnnotationPrefix + k))}");
            }
        }
    }

    public static BackendPolicy Apply(BackendPolicy policy, IEnumerable<PolicySetting> settings, Action<string, string> report)
    {
        foreach (var (key, value, field) in settings)
        {
            policy = Apply(policy, key, value.Trim(), field, report) ?? policy;
        }

        return policy;
    }

    private static BackendPolicy? Apply(BackendPolicy p, string key, string value, string field, Action<string, string> report)
    {
        var probe = p.Probe ?? HealthProbe.For("/");
        switch (key)
        {
            case "load-balance":
                return BalancingAlgorithms.IsKnown(value) ? p with { LoadBalancing = value } : Bad($"'{value}' is not a balancing algorithm; use one of {string.Join(", ", BalancingAlgorithms.All)}");
            case "hash-key":
                return HashKey.Parse(value) is { } hashKey ? p with { HashKey = hashKey } : Bad($"'{value}' is not client-ip, path, header:NAME or cookie:NAME");
            case "hash-bounded-load":
                return Number(value) is >= 1 and var load ? p with { BoundedLoad = load } : Bad($"'{value}' is not a load factor of at least 1 (e.g. 1.25)");
            case "affinity-cookie":
                return value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? p with { AffinityCookie = value } : Bad($"'{value}' is not a cookie name");
            case "affinity-cookie-path" or "affinity-cookie-max-age" or "affinity-cookie-expires" or "affinity-cookie-samesite" or "affinity-cookie-secure" or "affinity-cookie-domain":
                // Set by ingress-nginx's session-cookie-* (checked there), not onehop.dev annotations: not among Keys.
                return CookieAttribute(p, key, value) is { } withAttribute ? withAttribute : Bad($"'{value}' is not a value of {key}");
            case "slow-start":
                return Duration(value, allowZero: true) is { } slow ? p with { SlowStart = slow } : Bad(DurationError(value));
            case "ewma-decay":
                return Duration(value) is { } decay ? p with { EwmaDecay = decay } : Bad(DurationError(value));
            case "zone-aware":
                return bool.TryParse(value, out var zoneAware) ? p with { ZoneAware = zoneAware } : Bad($"'{value}' is not true or false");
            case "health-check-path":
                return value.StartsWith('/') ? p with { Probe = probe with { Path = value } } : Bad($"'{value}' must start with /");
            case "health-check-interval":
                // A floor: the interval is per pod and per replica, and an annotation is a tenant's to write (1ms would be a probe storm).
                return Duration(value) is { } interval && interval >= MinProbeInterval ? p with { Probe = probe with { Interval = interval } } : Bad($"{DurationError(value)}, and at least 100ms");
            case "health-check-timeout":
                return Duration(value) is { } timeout ? p with { Probe = probe with { Timeout = timeout } } : Bad(DurationError(value));
            case "health-check-healthy-threshold":
                return Count(value, 1, 100) is { } healthy ? p with { Probe = probe with { HealthyThreshold = healthy } } : Bad(CountError(value, 1, 100));
            case "health-check-unhealthy-threshold":
                return Count(value, 1, 100) is { } unhealthy ? p with { Probe = probe with { UnhealthyThreshold = unhealthy } } : Bad(CountError(value, 1, 100));
            case "outlier-consecutive-failures":
                return Count(value, 0, 1000) is { } failures ? p with { Outlier = p.Outlier with { ConsecutiveFailures = failures } } : Bad(CountError(value, 0, 1000));
            case "outlier-base-ejection-time":
                return Duration(value) is { } ejection ? p with { Outlier = p.Outlier with { BaseEjectionTime = ejection } } : Bad(DurationError(value));
            case "outlier-max-ejection-percent":
                return Count(value, 0, 100) is { } percent ? p with { Outlier = p.Outlier with { MaxEjectionPercent = percent } } : Bad(CountError(value, 0, 100));
            case "retries":
                return Count(value, 1, 10) is { } attempts ? p with { Retry = p.Retry with { Attempts = attempts } } : Bad(CountError(value, 1, 10));
            case "retry-budget-percent":
                return Count(value, 0, 100) is { } budget ? p with { Retry = p.Retry with { BudgetPercent = budget } } : Bad(CountError(value, 0, 100));
            case "retry-min-per-second":
                return Count(value, 0, 10000) is { } min ? p with { Retry = p.Retry with { MinRetriesPerSecond = min } } : Bad(CountError(value, 0, 10000));
            case "concurrency-max-per-endpoint":
                return Count(value, 0, 1_000_000) is { } max ? p with { Concurrency = (p.Concurrency ?? new ConcurrencyLimit()) with { MaxPerEndpoint = max } } : Bad(CountError(value, 0, 1_000_000));
            case "concurrency-queue-size":
                return Count(value, 0, 1_000_000) is { } size ? p with { Concurrency = (p.Concurrency ?? new ConcurrencyLimit()) with { QueueSize = size } } : Bad(CountError(value, 0, 1_000_000));
            case "concurrency-queue-timeout":
                return Duration(value) is { } wait ? p with { Concurrency = (p.Concurrency ?? new ConcurrencyLimit()) with { QueueTimeout = wait } } : Bad(Durations.Invalid(value, positive: true));
            default:
                return Bad("unknown setting");
        }

        BackendPolicy? Bad(string message)
        {
            report(field, message);
            return null;
        }
    }

    private static BackendPolicy? CookieAttribute(BackendPolicy p, string key, string value)
    {
        var a = p.AffinityCookieAttributes ?? new AffinityCookieAttributes();
        a = key switch
        {
            "affinity-cookie-path" when value.StartsWith('/') => a with { Path = value },
            "affinity-cookie-max-age" when Count(value, 0, int.MaxValue) is { } maxAge => a with { MaxAgeSeconds = maxAge },
            "affinity-cookie-expires" when Count(value, 0, int.MaxValue) is { } expires => a with { ExpiresSeconds = expires },
            "affinity-cookie-samesite" when value is "None" or "Lax" or "Strict" => a with { SameSite = value },
            "affinity-cookie-secure" when bool.TryParse(value, out var secure) => a with { Secure = secure },
            "affinity-cookie-domain" when value.Length > 0 => a with { Domain = value },
            _ => null,
        };
        return a is null ? null : p with { AffinityCookieAttributes = a };
    }

    private static readonly TimeSpan MinProbeInterval = TimeSpan.FromMilliseconds(100);

    private static double? Number(string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int? Count(string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;

    private static TimeSpan? Duration(string value, bool allowZero = false) =>
        Durations.TryParse(value, out var d) && (d > TimeSpan.Zero || allowZero) ? d : null;

    private static string CountError(string value, int min, int max) => $"'{value}' is not a whole number from {min} to {max}";

    private static string DurationError(string value) => Durations.Invalid(value);
}
