using System.Collections.Immutable;
using OneHop.Core.Control;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Proxy.L4;
using OneHop.Core.Tls;

namespace OneHop.Core.Admin;

/// <summary>
/// Gathers a <see cref="TopologyInput"/> from the running parts (coordinator, HTTP data plane, certificates, leader
/// election) and tells waiters when the data plane applied a new snapshot, so the event stream pushes at once.
/// </summary>
internal sealed class TopologyFeed
{
    private readonly SnapshotCoordinator _coordinator;
    private readonly HttpDataPlane _dataPlane;
    private readonly L4DataPlane? _l4;
    private readonly Func<ImmutableArray<TopologyListener>> _listeners;
    private readonly LeaderElection? _election;
    private readonly CertificateStore? _certificates;
    private readonly TopologyBuilder _builder;
    private TaskCompletionSource _applied = NewSignal();

    /// <param name="listeners">The edge listeners with the addresses they are bound to (known only once they are).</param>
    /// <param name="l4">The L4 data plane, whose routes and pods are shown beside HTTP's.</param>
    public TopologyFeed(SnapshotCoordinator coordinator, HttpDataPlane dataPlane, Func<ImmutableArray<TopologyListener>> listeners, TimeProvider time, LeaderElection? election = null, CertificateStore? certificates = null, L4DataPlane? l4 = null)
    {
        _l4 = l4;
        _coordinator = coordinator;
        _dataPlane = dataPlane;
        _listeners = listeners;
        _election = election;
        _certificates = certificates;
        _builder = new TopologyBuilder(time);
        Time = time;
        dataPlane.Applied += _ => Interlocked.Exchange(ref _applied, NewSignal()).TrySetResult();
    }

    public TimeProvider Time { get; }

    /// <summary>Completes when the data plane next applies a snapshot.</summary>
    public Task Applied => Volatile.Read(ref _applied).Task;

    public TopologyDocument Current()
    {
        var ready = _coordinator.IsReady;
        return _builder.Build(new TopologyInput(
            _dataPlane.Routing,
            _listeners(),
            _dataPlane.Zone,
            _coordinator.Status,
            ready,
            ready ? null : _coordinator.NotReadyReason,
            _dataPlane.LastError,
            _certificates?.Current.Served ?? [],
            _election is null ? null : new LeadershipDocument(_election.Identity, _election.Leader, _election.IsLeader),
            _l4?.Routing));
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
