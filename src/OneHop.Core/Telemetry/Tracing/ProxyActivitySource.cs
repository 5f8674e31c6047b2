using System.Diagnostics;

namespace OneHop.Core.Telemetry.Tracing;

/// <summary>
/// The spans OneHop makes: one per client request (server) and one per attempt on a pod (client). With tracing off
/// nothing listens to the source, so <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> is never called.
/// </summary>
internal static class ProxyActivitySource
{
    public const string Name = "OneHop.Proxy";

    public static readonly ActivitySource Source = new(Name, typeof(ProxyActivitySource).Assembly.GetName().Version?.ToString());
}
