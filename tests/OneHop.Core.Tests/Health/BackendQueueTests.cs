using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Health;

public sealed class BackendQueueTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly EndpointRuntimeRegistry _runtimes;
    private readonly BackendKeeps _keeps;

    public BackendQueueTests()
    {
        _runtimes = new EndpointRuntimeRegistry(_time);
        _keeps = new BackendKeeps(_time);
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void A_full_pick_spills_to_the_least_busy_candidate_and_none_is_given_past_its_cap()
    {
        var (backend, queue) = Capped(2, "10.0.0.1", "10.0.0.2");
        var (first, second) = (backend.Destinations[0], backend.Destinations[1]);
        var available = backend.Available();

        Assert.Same(first, queue.TryTake(first, available, 2));
        Assert.Same(first, queue.TryTake(first, available, 2));
        Assert.Same(second, queue.TryTake(first, available, 2)); // first is full
        Assert.Same(second, queue.TryTake(first, available, 2));
        Assert.Null(queue.TryTake(first, available, 2));
        Assert.Equal((2, 2), (queue.InUse(first), queue.InUse(second)));

        queue.Release(second);
        Assert.Same(second, queue.TryTake(first, available, 2));
    }

    [Fact]
    public async Task A_freed_slot_goes_to_the_first_waiter_not_to_a_newcomer()
    {
        var (backend, queue) = Capped(1, "10.0.0.1");
        var pod = backend.Destinations[0];
        Assert.NotNull(queue.TryTake(pod, backend.Available(), 1));

        var first = queue.WaitAsync(null, Cancel);
        var second = queue.WaitAsync(null, Cancel);
        Assert.Equal(2, queue.Waiting);

        queue.Release(pod);
        var granted = await Ended(first);
        Assert.Equal(QueueOutcome.Granted, granted.Outcome);
        Assert.Same(pod, granted.Destination);
        Assert.Equal(1, queue.Waiting);
        Assert.Null(queue.TryTake(pod, backend.Available(), 1)); // handed over, still counted: no newcomer gets it
        Assert.False(second.IsCompleted);

        queue.Release(pod);
        Assert.Same(pod, (await Ended(second)).Destination);
        Assert.Equal(0, queue.Waiting);
        Assert.Equal(1, queue.InUse(pod));
    }

    [Fact]
    public async Task A_waiter_times_out_after_the_queue_timeout_and_a_full_queue_refuses_at_once()
    {
        var (backend, queue) = Capped(1, ["10.0.0.1"], queueSize: 1, queueTimeout: TimeSpan.FromSeconds(5));
        Assert.NotNull(queue.TryTake(backend.Destinations[0], backend.Available(), 1));

        var waiting = queue.WaitAsync(null, Cancel);
        Assert.Equal(QueueOutcome.Full, (await queue.WaitAsync(null, Cancel)).Outcome);

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(waiting.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(QueueOutcome.TimedOut, (await Ended(waiting)).Outcome);
        Assert.Equal(0, queue.Waiting);

        // Its place is free again, and a release with nobody waiting leaves the slot to the next newcomer.
        queue.Release(backend.Destinations[0]);
        Assert.NotNull(queue.TryTake(backend.Destinations[0], backend.Available(), 1));
    }

    [Fact]
    public async Task A_waiter_that_goes_away_leaves_the_queue()
    {
        var (backend, queue) = Capped(1, "10.0.0.1");
        var pod = backend.Destinations[0];
        Assert.NotNull(queue.TryTake(pod, backend.Available(), 1));

        using var gone = new CancellationTokenSource();
        var waiting = queue.WaitAsync(null, gone.Token);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ended(waiting));
        Assert.Equal(0, queue.Waiting);

        queue.Release(pod);
        Assert.Equal(0, queue.InUse(pod)); // nobody was left to hand it to

        // A client gone before its wait began never takes a place.
        Assert.NotNull(queue.TryTake(pod, backend.Available(), 1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Ended(queue.WaitAsync(null, gone.Token)));
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task A_grant_stands_whatever_comes_after_it_the_client_going_or_the_queue_timeout()
    {
        var (backend, queue) = Capped(1, "10.0.0.1");
        var pod = backend.Destinations[0];
        Assert.NotNull(queue.TryTake(pod, backend.Available(), 1));
        using var gone = new CancellationTokenSource();
        var waiting = queue.WaitAsync(null, gone.Token);

        queue.Release(pod);
        await gone.CancelAsync();
        _time.Advance(TimeSpan.FromMinutes(1));

        var ticket = await Ended(waiting);
        Assert.Equal((QueueOutcome.Granted, pod), (ticket.Outcome, ticket.Destination));
        Assert.Equal(1, queue.InUse(pod)); // the slot is the granted request's, given back by its attempt
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task A_slot_given_back_just_before_the_wait_began_is_not_lost()
    {
        // TryTake found the pod full; its holder finished before the request reached the queue: nobody was waiting then.
        var (backend, queue) = Capped(1, "10.0.0.1");
        var pod = backend.Destinations[0];
        Assert.NotNull(queue.TryTake(pod, backend.Available(), 1));
        Assert.Null(queue.TryTake(pod, backend.Available(), 1));
        queue.Release(pod);

        var waiting = queue.WaitAsync(null, Cancel);
        Assert.True(waiting.IsCompleted);
        Assert.Same(pod, (await waiting).Destination);
        Assert.Equal(0, queue.Waiting);
    }

    [Fact]
    public async Task A_retry_waits_only_for_pods_it_has_not_tried()
    {
        var (backend, queue) = Capped(1, "10.0.0.1", "10.0.0.2");
        var (first, second) = (backend.Destinations[0], backend.Destinations[1]);
        Assert.NotNull(queue.TryTake(first, backend.Available(), 1));
        Assert.NotNull(queue.TryTake(second, backend.Available(), 1));

        var retry = queue.WaitAsync([first], Cancel);
        var fresh = queue.WaitAsync(null, Cancel);
        queue.Release(first);

        // The retry, first in line, cannot use the pod it failed on: the slot goes to the one behind it.
        Assert.Same(first, (await Ended(fresh)).Destination);
        Assert.False(retry.IsCompleted);
        queue.Release(second);
        Assert.Same(second, (await Ended(retry)).Destination);
    }

    [Fact]
    public async Task A_pod_that_joins_serves_the_waiters_at_once_from_the_new_state()
    {
        var (backend, queue) = Capped(1, "10.0.0.1");
        Assert.NotNull(queue.TryTake(backend.Destinations[0], backend.Available(), 1));
        var waiting = queue.WaitAsync(null, Cancel);

        var grown = State(1, ["10.0.0.1", "10.0.0.2"]);
        Assert.Same(queue, grown.Queue); // kept by backend id
        _keeps.Serve(new Dictionary<string, BackendState> { [grown.Backend.Id] = grown });

        var ticket = await Ended(waiting);
        Assert.Same(grown, ticket.Backend);
        Assert.Equal("10.0.0.2:80", ticket.Destination!.Id);
    }

    [Fact]
    public async Task Lifting_the_cap_or_dropping_the_backend_lets_every_waiter_go_uncounted()
    {
        var (backend, queue) = Capped(1, "10.0.0.1");
        Assert.NotNull(queue.TryTake(backend.Destinations[0], backend.Available(), 1));
        var first = queue.WaitAsync(null, Cancel);
        var second = queue.WaitAsync(null, Cancel);

        var uncapped = _keeps.Build(Backend(BackendPolicy.Default, "10.0.0.1"), _runtimes, null, null);
        Assert.Null(uncapped.Queue);
        _keeps.Serve(new Dictionary<string, BackendState> { [uncapped.Backend.Id] = uncapped });
        Assert.Null((await Ended(first)).Destination);
        Assert.Null((await Ended(second)).Destination);

        var third = queue.WaitAsync(null, Cancel);
        Assert.Equal(QueueOutcome.Granted, (await Ended(third)).Outcome); // no cap in force: no wait at all

        var (again, queueAgain) = Capped(1, "10.0.0.1");
        Assert.Same(queue, queueAgain);
        Assert.Null(queueAgain.TryTake(again.Destinations[0], again.Available(), 1)); // the slot taken at first is still held
        var fourth = queueAgain.WaitAsync(null, Cancel);
        _keeps.Serve(new Dictionary<string, BackendState>());
        Assert.Null((await Ended(fourth)).Destination);
    }

    [Fact]
    public async Task Room_no_release_announced_goes_to_the_waiters_before_a_newcomer()
    {
        // Two ejected pods come back one after the other: nothing was released, yet there is room. The next newcomer
        // finds the waiter served first, and takes what is left after it.
        var (backend, queue) = Capped(1, ["10.0.0.1", "10.0.0.2", "10.0.0.3"], queueSize: 10, queueTimeout: TimeSpan.FromMinutes(1));
        var (first, second, third) = (backend.Destinations[0], backend.Destinations[1], backend.Destinations[2]);
        second.Runtime.Eject(TimeSpan.FromSeconds(10));
        third.Runtime.Eject(TimeSpan.FromSeconds(20));
        Assert.NotNull(queue.TryTake(first, backend.Available(), 1));
        var waiting = queue.WaitAsync(null, Cancel);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(queue.TryTake(first, backend.Available(), 1));
        Assert.Same(second, (await Ended(waiting)).Destination);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Same(third, queue.TryTake(first, backend.Available(), 1));
        Assert.All(backend.Destinations, d => Assert.Equal(1, queue.InUse(d)));
    }

    /// <summary>The wait's end, which must come without the fake clock moving (bounded in real time so a bug fails, not hangs).</summary>
    private static Task<QueueTicket> Ended(Task<QueueTicket> wait) => wait.WaitAsync(TimeSpan.FromSeconds(10), Cancel);

    [Fact]
    public async Task Full_pods_of_the_own_zone_spill_to_another_zone_s_before_anyone_waits()
    {
        // Two pods in this replica's zone carry its share (2 of 3): zone preference keeps to them while they have room.
        var backend = new Backend("default/web:80", "web", BackendKind.Service, BackendProtocol.Http,
            BackendPolicy.Default with { Concurrency = new ConcurrencyLimit { MaxPerEndpoint = 1 } },
            [new BackendEndpoint("10.0.0.1", 80, EndpointState.Ready, Zone: "a"), new BackendEndpoint("10.0.0.2", 80, EndpointState.Ready, Zone: "a"), new BackendEndpoint("10.0.1.1", 80, EndpointState.Ready, Zone: "b")]);
        var state = _keeps.Build(backend, _runtimes, "a", null);
        _keeps.Serve(new Dictionary<string, BackendState> { [state.Backend.Id] = state });
        var queue = state.Queue!;
        var local = state.Available();
        var (a1, a2, b1) = (state.Destinations[0], state.Destinations[1], state.Destinations[2]);
        Assert.Equal([a1, a2], local.Items);

        Assert.Same(a1, queue.TryTake(a1, local, 1));
        Assert.Same(a2, queue.TryTake(a1, local, 1));
        Assert.Same(b1, queue.TryTake(a1, local, 1)); // both local pods full: the other zone's pod, not the queue
        Assert.Null(queue.TryTake(a1, local, 1));

        // A waiter is granted room in the other zone too.
        var waiting = queue.WaitAsync(null, Cancel);
        queue.Release(b1);
        Assert.Same(b1, (await Ended(waiting)).Destination);
    }

    private (BackendState Backend, BackendQueue Queue) Capped(int max, params string[] addresses) => Capped(max, addresses, 1000, TimeSpan.FromSeconds(5));

    private (BackendState Backend, BackendQueue Queue) Capped(int max, string[] addresses, int queueSize, TimeSpan queueTimeout)
    {
        var state = State(max, addresses, queueSize, queueTimeout);
        _keeps.Serve(new Dictionary<string, BackendState> { [state.Backend.Id] = state });
        return (state, state.Queue!);
    }

    private BackendState State(int max, string[] addresses, int queueSize = 1000, TimeSpan? queueTimeout = null) =>
        _keeps.Build(
            Backend(BackendPolicy.Default with { Concurrency = new ConcurrencyLimit { MaxPerEndpoint = max, QueueSize = queueSize, QueueTimeout = queueTimeout ?? TimeSpan.FromSeconds(5) } }, addresses),
            _runtimes,
            null,
            null);

    private static Backend Backend(BackendPolicy policy, params string[] addresses) =>
        new("default/web:80", "web", BackendKind.Service, BackendProtocol.Http, policy, [.. addresses.Select(a => new BackendEndpoint(a, 80, EndpointState.Ready))]);
}
