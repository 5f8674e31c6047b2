using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Health;

/// <summary>
/// Active health probes of node endpoints that carry kube-proxy's <c>healthCheckNodePort</c>
/// (<see cref="Routing.BackendEndpoint.HealthPort"/>, <c>externalTrafficPolicy: Local</c>): a plain HTTP/1.1 GET to
/// that port, which kube-proxy answers 200 while the node holds a ready pod of the Service and 503 otherwise, whatever
/// protocol the backend speaks. Every other endpoint goes to <paramref name="inner"/>, the data plane's own prober.
/// </summary>
internal sealed class NodeHealthProbeSender(IProbeSender inner, HttpMessageInvoker client) : IProbeSender
{
    /// <summary>A client for kube-proxy's health servers: no proxy, no cookies, short-lived pooled connections.</summary>
    public static HttpMessageInvoker NewClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    });

    public async Task<ProbeResult> ProbeAsync(BackendState backend, Destination destination, HealthProbe probe, CancellationToken cancellationToken)
    {
        if (destination.Endpoint.HealthPort is not { } port)
        {
            return await inner.ProbeAsync(backend, destination, probe, cancellationToken).ConfigureAwait(false);
        }

        var address = destination.Endpoint.Address.Contains(':', StringComparison.Ordinal) ? $"[{destination.Endpoint.Address}]" : destination.Endpoint.Address;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{address}:{port}{probe.Path}");
        try
        {
            using var response = await client.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new ProbeResult(status is >= 200 and < 300, $"kube-proxy health port {port}: HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"kube-proxy health port {port}: no answer within {probe.Timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException ex)
        {
            return new ProbeResult(false, $"kube-proxy health port {port}: {ex.Message}");
        }
    }
}
