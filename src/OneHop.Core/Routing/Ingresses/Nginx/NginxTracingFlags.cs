using System.Globalization;

namespace OneHop.Core.Routing.Ingresses.Nginx;

/// <summary>
/// What `onehop run` takes instead of ingress-nginx's OpenTelemetry exporter and sampler keys, written with the key's
/// value for the migration report: OneHop's exporter and sampler are process settings (<c>--otlp-endpoint</c>,
/// <c>--trace-sample-ratio</c>), not ConfigMap keys, and it exports OTLP over HTTP where ingress-nginx speaks gRPC.
/// </summary>
internal static class NginxTracingFlags
{
    /// <summary>The flag that does what <paramref name="key"/> set to <paramref name="value"/> did; null for other keys or values.</summary>
    public static string? Advice(string key, string value) => key switch
    {
        "otlp-collector-host" when value.Length > 0 => $"run with --otlp-endpoint http://{value}:4318 (OTLP over HTTP, the collector's default port for it; ingress-nginx sends gRPC to otlp-collector-port)",
        "otlp-collector-port" => "the port is part of --otlp-endpoint: a collector takes OTLP over HTTP on 4318 by default, gRPC (this key's 4317) is not spoken",
        "otel-sampler-ratio" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1
            => $"run with --trace-sample-ratio {value} (with otel-sampler TraceIdRatioBased; parent-based, as OneHop always is)",
        "otel-sampler" => value switch
        {
            "AlwaysOn" => "run with --trace-sample-ratio 1 (the default)",
            "AlwaysOff" => "run without --otlp-endpoint",
            "TraceIdRatioBased" => "run with --trace-sample-ratio set to otel-sampler-ratio",
            _ => null,
        },
        "otel-service-name" => "OneHop's spans carry service.name onehop",
        _ => null,
    };
}
