namespace OneHop.Core.Routing;

/// <summary>
/// Reads a Service port's protocol: the annotation <c>onehop.dev/backend-protocol</c> (http, https, h2c, h2, grpc,
/// grpcs) wins, else the port's <c>appProtocol</c> (Kubernetes' own field), else HTTP/1.1.
/// </summary>
internal static class BackendProtocols
{
    public const string Annotation = "onehop.dev/backend-protocol";

    public static BackendProtocol? FromAnnotation(string value) => value.ToLowerInvariant() switch
    {
        "http" => BackendProtocol.Http,
        "https" => BackendProtocol.Https,
        "h2c" or "grpc" => BackendProtocol.H2c,
        "h2" or "grpcs" => BackendProtocol.H2,
        _ => null,
    };

    public static BackendProtocol FromAppProtocol(string? appProtocol) => appProtocol?.ToLowerInvariant() switch
    {
        "kubernetes.io/h2c" or "h2c" or "http2" or "grpc" => BackendProtocol.H2c,
        "https" or "kubernetes.io/wss" => BackendProtocol.Https,
        _ => BackendProtocol.Http,
    };

    public static string Scheme(BackendProtocol protocol) => protocol switch
    {
        BackendProtocol.Https or BackendProtocol.H2 => "https",
        BackendProtocol.Tcp => "tcp",
        BackendProtocol.Udp => "udp",
        _ => "http",
    };

    public static bool IsHttp2(BackendProtocol protocol) => protocol is BackendProtocol.H2c or BackendProtocol.H2;
}
