using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OneHop.Core.Balancing;
using OneHop.Core.Concurrency;
using OneHop.Core.Health;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Telemetry;

namespace OneHop.Core.Proxy.Tcp;

/// <summary>
/// Connects a client's TCP connection to a pod of its route: the backend's available destinations (readiness, then
/// serving+terminating, zone preference, ejections) and its picker, as HTTP requests get them. A refused, unreachable
/// or timed-out connect (<c>defaults.connectTimeout</c>) is retried on a pod not yet tried, within the backend's retry
/// attempts and budget; nothing has been sent to any pod yet, so no client byte is lost. Each attempt feeds passive
/// health and the pod's latency estimate (connect time), as an HTTP attempt does.
/// </summary>
internal sealed partial class PodConnector(Pickers pickers, OutlierDetector outliers, L4Metrics metrics, TimeProvider time, ILogger<PodConnector> logger)
{
    /// <summary>Where a weighted route's choice of backend is drawn from (the balancing context's source).</summary>
    public IRandomSource Random => pickers.Context.Random;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<PodConnection> ConnectAsync(string listener, L4RouteState route, IBalancedRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var backend = route.Backend;
        var available = backend.Available();
        if (available.Count == 0)
        {
            return new PodConnection(null, null, AttemptOutcome.NoEndpoints, 0);
        }

        var policy = backend.Policy.Retry;
        var budget = backend.Budget;
        budget.RecordRequest();
        var maxAttempts = Math.Max(1, Math.Min(policy.Attempts, available.Count));
        var picker = pickers.For(backend.Policy.LoadBalancing);
        var candidates = available;
        List<Destination>? tried = null;
        var queued = 0.0;
        for (var n = 1; ; n++)
        {
            var destination = picker.Pick(backend, candidates, request) ?? candidates[0];
            BackendQueue? slot = null;
            if (backend.Queue is { } queue)
            {
                // A capped backend: a slot on the pick or another candidate, else a wait in its queue (the connection's lifetime holds it).
                if (queue.TryTake(destination, candidates, backend.Policy.MaxPerEndpoint) is { } admitted)
                {
                    (destination, slot) = (admitted, queue);
                }
                else
                {
                    QueueTicket ticket;
                    var waited = time.GetTimestamp();
                    try
                    {
                        ticket = await queue.WaitAsync(tried, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return new PodConnection(null, null, AttemptOutcome.ClientAbort, n);
                    }
                    finally
                    {
                        queued += time.GetElapsedTime(waited).TotalSeconds;
                    }

                    if (ticket.Outcome != QueueOutcome.Granted)
                    {
                        return new PodConnection(null, null, AttemptOutcome.NoEndpoints, n) { Refused = ticket.Outcome };
                    }

                    (destination, slot) = ticket.Destination is { } granted ? (granted, queue) : (destination, null);
                }
            }

            var started = time.GetTimestamp();
            var (socket, outcome) = await TryConnectAsync(destination, timeout, cancellationToken).ConfigureAwait(false);
            if (socket is null)
            {
                slot?.Release(destination);
            }
            var elapsed = time.GetElapsedTime(started).TotalSeconds;
            if (outcome != AttemptOutcome.ClientAbort)
            {
                destination.Runtime.ObserveLatency(outcome == AttemptOutcome.Success ? elapsed : Math.Max(elapsed, 1), backend.Policy.EwmaDecay);
                outliers.Observe(backend, destination, outcome);
            }

            if (socket is not null)
            {
                return new PodConnection(socket, destination, outcome, n) { Slot = slot, QueueTime = queued };
            }

            if (outcome == AttemptOutcome.ClientAbort)
            {
                return new PodConnection(null, destination, outcome, n);
            }

            metrics.For(listener, backend.Name, destination.Id, destination.Name).ConnectFailed();
            Log.ConnectFailed(logger, destination.Name, backend.Name, listener, outcome);
            if (n >= maxAttempts || !budget.TryRetry(policy))
            {
                return new PodConnection(null, destination, outcome, n);
            }

            (tried ??= []).Add(destination);
            candidates = candidates.Narrow(tried);
            if (candidates.Count == 0)
            {
                return new PodConnection(null, destination, outcome, n);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(Socket? Socket, AttemptOutcome Outcome)> TryConnectAsync(Destination destination, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (socket, target) = PodSockets.For(destination.Endpoint);
        socket.NoDelay = true;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var stop = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline);
        try
        {
            await socket.ConnectAsync(target, deadline.Token).ConfigureAwait(false);
            return (socket, AttemptOutcome.Success);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            return cancellationToken.IsCancellationRequested ? (null, AttemptOutcome.ClientAbort)
                : ex is OperationCanceledException ? (null, AttemptOutcome.ConnectTimeout)
                : (null, AttemptOutcome.ConnectRefused);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(901, LogLevel.Debug, "Connect to {Pod} of {Backend} for listener {Listener} failed: {Outcome}")]
        public static partial void ConnectFailed(ILogger logger, string pod, string backend, string listener, AttemptOutcome outcome);
    }
}
