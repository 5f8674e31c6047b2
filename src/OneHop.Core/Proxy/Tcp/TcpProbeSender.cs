using System.Net.Sockets;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>Active health probes for TCP backends: a pod passes when it accepts a connection within the probe's timeout.</summary>
internal sealed class TcpProbeSender(TimeProvider time) : IProbeSender
{
    public async Task<ProbeResult> ProbeAsync(BackendState backend, Destination destination, HealthProbe probe, CancellationToken cancellationToken)
    {
        var (socket, target) = PodSockets.For(destination.Endpoint);
        using var owned = socket;
        using var timeout = new CancellationTokenSource(probe.Timeout, time);
        using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        try
        {
            await socket.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
            return new ProbeResult(true, "connected");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"no connection within {probe.Timeout.TotalSeconds:0.###}s");
        }
        catch (SocketException ex)
        {
            return new ProbeResult(false, ex.SocketErrorCode.ToString());
        }
    }
}
