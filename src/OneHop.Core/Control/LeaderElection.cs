using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace OneHop.Core.Control;

/// <summary>
/// Elects the one replica that writes to the API server. Every replica serves traffic, but exactly one — elected
/// through a <c>coordination.k8s.io/v1</c> Lease with KubernetesClient's LeaderElector (409 means another replica
/// won) — runs the <see cref="ILeaderTask"/>s: the Ingress and Gateway API status writers and the Event recorder. The
/// Lease is released on shutdown so another replica takes over at once instead of after it expires.
/// </summary>
internal sealed partial class LeaderElection(
    IKubernetes client,
    StatusPublishingOptions options,
    IReadOnlyList<ILeaderTask> tasks,
    TimeProvider time,
    ILogger<LeaderElection> logger)
{
    private volatile bool _leading;
    private volatile string? _leader;

    public bool IsLeader => _leading;

    public string? Leader => _leader;

    public string Identity => options.Identity;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var leaseLock = new LeaseLock(client, options.LeaseNamespace, options.LeaseName, options.Identity);
        while (!cancellationToken.IsCancellationRequested)
        {
            using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
            {
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.RenewDeadline,
                RetryPeriod = options.RetryPeriod,
            });
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            elector.OnStartedLeading += () => started.TrySetResult();
            elector.OnNewLeader += leader => _leader = leader;
            var electing = elector.RunUntilLeadershipLostAsync(cancellationToken);
            try
            {
                if (await Task.WhenAny(started.Task, electing).ConfigureAwait(false) == started.Task)
                {
                    _leading = true;
                    _leader = options.Identity;
                    Log.Leading(logger, options.Identity, options.LeaseNamespace, options.LeaseName);
                    using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    var working = Task.WhenAll(tasks.Select(t => Task.Run(() => t.RunWhileLeadingAsync(leading.Token), CancellationToken.None)));
                    await Task.WhenAny(electing, working).ConfigureAwait(false);
                    await leading.CancelAsync().ConfigureAwait(false);
                    await IgnoreCancellation(working).ConfigureAwait(false);
                }

                await IgnoreCancellation(electing).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.ElectionFailed(logger, ex.Message);
            }
            finally
            {
                if (_leading)
                {
                    _leading = false;
                    Log.Stopped(logger, options.Identity);
                    if (cancellationToken.IsCancellationRequested)
                    {
                        await ReleaseAsync(leaseLock).ConfigureAwait(false);
                    }
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(options.RetryPeriod, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReleaseAsync(LeaseLock leaseLock)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var record = await leaseLock.GetAsync(timeout.Token).ConfigureAwait(false);
            if (record.HolderIdentity == options.Identity)
            {
                // As client-go does: an empty holder with the shortest duration lets another replica take over now.
                record.HolderIdentity = string.Empty;
                record.LeaseDurationSeconds = 1;
                record.RenewTime = time.GetUtcNow().UtcDateTime;
                await leaseLock.UpdateAsync(record, timeout.Token).ConfigureAwait(false);
                Log.Released(logger, options.Identity);
            }
        }
        catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or IOException or OperationCanceledException)
        {
            Log.ReleaseFailed(logger, ex.Message);
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Information, "{Identity} leads (Lease {Namespace}/{Name}): it writes status and Events")]
        public static partial void Leading(ILogger logger, string identity, string @namespace, string name);

        [LoggerMessage(202, LogLevel.Information, "{Identity} stopped leading")]
        public static partial void Stopped(ILogger logger, string identity);

        [LoggerMessage(205, LogLevel.Warning, "Leader election failed: {Error}; retrying")]
        public static partial void ElectionFailed(ILogger logger, string error);

        [LoggerMessage(206, LogLevel.Information, "{Identity} released the Lease")]
        public static partial void Released(ILogger logger, string identity);

        [LoggerMessage(207, LogLevel.Warning, "Releasing the Lease failed: {Error}")]
        public static partial void ReleaseFailed(ILogger logger, string error);
    }
}
