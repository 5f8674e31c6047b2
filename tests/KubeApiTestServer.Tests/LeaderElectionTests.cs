using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 6.6: KubernetesClient's LeaderElector with a LeaseLock, two electors racing on one server.</summary>
public sealed class LeaderElectionTests
{
    [Fact]
    public async Task Two_electors_never_lead_together_and_the_survivor_takes_over()
    {
        await using var server = await TestServer.StartAsync();
        using var clientA = TestServer.Client(server);
        using var clientB = TestServer.Client(server);
        var leading = 0;
        var mostAtOnce = 0;
        var started = new Dictionary<string, TaskCompletionSource>
        {
            ["lb-a"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["lb-b"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        var gate = new Lock();

        LeaderElector Elector(IKubernetes client, string identity)
        {
            var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, "onehop", "lb-leader", identity))
            {
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1),
                RetryPeriod = TimeSpan.FromMilliseconds(200),
            });
            elector.OnStartedLeading += () =>
            {
                lock (gate)
                {
                    leading++;
                    mostAtOnce = Math.Max(mostAtOnce, leading);
                }

                started[identity].TrySetResult();
            };
            elector.OnStoppedLeading += () =>
            {
                lock (gate)
                {
                    leading--;
                }
            };
            return elector;
        }

        using var stopA = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var stopB = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var electorA = Elector(clientA, "lb-a");
        using var electorB = Elector(clientB, "lb-b");
        var runA = Run(electorA, stopA.Token);
        var runB = Run(electorB, stopB.Token);
        try
        {
            var first = await Task.WhenAny(started["lb-a"].Task, started["lb-b"].Task).WaitAsync(TestTimeouts.Token());
            var (leader, follower, stopLeader) = first == started["lb-a"].Task ? ("lb-a", "lb-b", stopA) : ("lb-b", "lb-a", stopB);

            // Let the leader renew a few times while the follower keeps trying: the stale-RV 409 keeps it out.
            var lease = server.Get<V1Lease>("lb-leader", "onehop")!;
            await using (var renewals = new WatchCollector<V1Lease>((onError, ct) => clientA.CoordinationV1.WatchListNamespacedLeaseAsync(
                "onehop", resourceVersion: lease.Metadata.ResourceVersion, onError: onError, cancellationToken: ct)))
            {
                var events = await renewals.TakeAsync(3);
                Assert.All(events, e => Assert.Equal(leader, e.Object.Spec.HolderIdentity));
            }

            Assert.False(started[follower].Task.IsCompleted);
            await stopLeader.CancelAsync();
            await started[follower].Task.WaitAsync(TestTimeouts.Token());

            var final = server.Get<V1Lease>("lb-leader", "onehop")!;
            Assert.Equal(follower, final.Spec.HolderIdentity);
            Assert.Equal(1, final.Spec.LeaseTransitions);
            Assert.Equal(2, final.Spec.LeaseDurationSeconds);
            lock (gate)
            {
                Assert.Equal(1, mostAtOnce);
            }
        }
        finally
        {
            await stopA.CancelAsync();
            await stopB.CancelAsync();
            await Task.WhenAll(runA, runB).WaitAsync(TestTimeouts.Token());
        }
    }

    private static async Task Run(LeaderElector elector, CancellationToken cancellationToken)
    {
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped by the test.
        }
    }
}
