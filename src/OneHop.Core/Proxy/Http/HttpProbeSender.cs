using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Http;

/// <summary>
/// Active health probes for HTTP backends: <c>GET</c> the probe's path on the endpoint over the backend's own client
/// (its TLS trust and connect timeout). A pass is a 2xx or 3xx answer within the probe's timeout.
/// </summary>
internal sealed class HttpProbeSender(UpstreamClients clients, HttpDataPlane dataPlane) : IProbeSender
{
    public async Task<ProbeResult> ProbeAsync(BackendState backend, Destination destination, HealthProbe probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(probe.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, destination.Prefix + probe.Path);
        try
        {
            using var response = await clients.For(backend.Backend, dataPlane.Routing.Defaults).SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new ProbeResult(status is >= 200 and < 400, $"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"no answer within {probe.Timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException ex)
        {
            return new ProbeResult(false, ex.Message);
        }
    }
}
