using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Health;
using OneHop.Core.Proxy.Http1;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Http1;

/// <summary>The pool of an endpoint: last-in first-out reuse, the idle timeout on the injected clock, the idle cap, retirement.</summary>
public sealed class Http1PoolTests
{
    [Fact]
    public async Task The_most_recently_returned_connection_is_reused_first()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var forwarder = new Http1Forwarder(new Http1ForwarderOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        var upstream = forwarder.Upstream(new Http1UpstreamKey(pod.Address, pod.Port));
        var first = await ConnectAsync(upstream);
        var second = await ConnectAsync(upstream);

        upstream.Return(first);
        upstream.Return(second);

        Assert.Same(second, upstream.TryRent());
        Assert.Same(first, upstream.TryRent());
        Assert.Null(upstream.TryRent());
        first.Dispose();
        second.Dispose();
    }

    [Fact]
    public async Task Idle_connections_close_after_the_idle_timeout_on_the_injected_clock()
    {
        var ct = TestTimeouts.Token();
        var time = new FakeTimeProvider();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, new Http1ForwarderOptions { IdleTimeout = TimeSpan.FromSeconds(60) }, time: time);
        using var client = new HttpClient();

        await client.GetStringAsync(edge.Url("/hello"), ct);
        Assert.Equal(AttemptOutcome.Success, (await edge.NextAttemptAsync(ct)).Outcome);
        Assert.Equal(1, edge.Upstream.IdleCount);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, edge.Upstream.IdleCount);

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(0, edge.Upstream.IdleCount);

        await client.GetStringAsync(edge.Url("/hello"), ct);
        Assert.Equal(2, pod.Connections);
    }

    [Fact]
    public async Task An_expired_connection_is_not_rented_even_before_the_heartbeat_runs()
    {
        var ct = TestTimeouts.Token();
        var time = new FakeTimeProvider();
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var forwarder = new Http1Forwarder(new Http1ForwarderOptions { IdleTimeout = TimeSpan.FromSeconds(60) }, time, NullLoggerFactory.Instance);
        var upstream = forwarder.Upstream(new Http1UpstreamKey(pod.Address, pod.Port));
        upstream.Return(await ConnectAsync(upstream));

        time.SetUtcNow(time.GetUtcNow() + TimeSpan.FromSeconds(61));

        Assert.Null(upstream.TryRent());
        Assert.Equal(0, upstream.IdleCount);
    }

    [Fact]
    public async Task No_more_idle_connections_are_kept_than_the_cap()
    {
        var ct = TestTimeouts.Token();
        await using var pod = await KestrelPod.StartAsync(ct);
        await using var edge = await LeanEdge.StartAsync(new Http1UpstreamKey(pod.Address, pod.Port), ct, new Http1ForwarderOptions { MaxIdleConnectionsPerEndpoint = 2 });
        using var client = new HttpClient();

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => client.GetStringAsync(edge.Url("/slow?n=8192"), ct)));

        Assert.Equal(5, pod.Connections);
        Assert.Equal(2, edge.Upstream.IdleCount);
    }

    [Fact]
    public async Task The_cap_holds_as_the_pool_grows_past_its_first_array_and_defaults_to_1024()
    {
        Assert.Equal(1024, new Http1ForwarderOptions().MaxIdleConnectionsPerEndpoint);
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var forwarder = new Http1Forwarder(new Http1ForwarderOptions { MaxIdleConnectionsPerEndpoint = 21 }, TimeProvider.System, NullLoggerFactory.Instance);
        var upstream = forwarder.Upstream(new Http1UpstreamKey(pod.Address, pod.Port));
        var connections = new List<Http1Connection>();
        for (var i = 0; i < 23; i++)
        {
            connections.Add(await ConnectAsync(upstream));
        }

        foreach (var connection in connections)
        {
            upstream.Return(connection);
        }

        Assert.Equal(21, upstream.IdleCount);
        Assert.All(connections[21..], c => Assert.Equal(Http1CancelReason.Finished, c.CancelReason));
        for (var i = 20; i >= 0; i--)
        {
            Assert.Same(connections[i], upstream.TryRent());
        }

        Assert.Null(upstream.TryRent());
        connections.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task The_heartbeat_closes_every_expired_connection_at_once_and_keeps_the_younger_ones_in_order()
    {
        var time = new FakeTimeProvider();
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var forwarder = new Http1Forwarder(new Http1ForwarderOptions { IdleTimeout = TimeSpan.FromSeconds(60) }, time, NullLoggerFactory.Instance);
        var upstream = forwarder.Upstream(new Http1UpstreamKey(pod.Address, pod.Port));
        var old = new List<Http1Connection>();
        var young = new List<Http1Connection>();
        for (var i = 0; i < 10; i++)
        {
            old.Add(await ConnectAsync(upstream));
            young.Add(await ConnectAsync(upstream));
        }

        old.ForEach(upstream.Return);
        time.Advance(TimeSpan.FromSeconds(30));
        young.ForEach(upstream.Return);

        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(10, upstream.IdleCount);
        Assert.All(old, c => Assert.Equal(Http1CancelReason.Finished, c.CancelReason));
        for (var i = 9; i >= 0; i--)
        {
            Assert.Same(young[i], upstream.TryRent());
        }

        young.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task Retain_drops_the_pools_of_endpoints_gone_closing_idle_connections_now_and_busy_ones_when_returned()
    {
        var ct = TestTimeouts.Token();
        await using var pod = RawPod.Start(PodAnswer.Ok);
        await using var other = RawPod.Start(PodAnswer.Ok);
        await using var forwarder = new Http1Forwarder(new Http1ForwarderOptions(), TimeProvider.System, NullLoggerFactory.Instance);
        var gone = new Http1UpstreamKey(pod.Address, pod.Port);
        var live = new Http1UpstreamKey(other.Address, other.Port);
        var upstream = forwarder.Upstream(gone);
        var kept = forwarder.Upstream(live);
        Assert.Same(upstream, forwarder.Upstream(gone with { }));
        var idle = await ConnectAsync(upstream);
        var busy = await ConnectAsync(upstream);
        upstream.Return(idle);
        kept.Return(await ConnectAsync(kept));

        forwarder.Retain(new HashSet<Http1UpstreamKey> { live });
        upstream.Return(busy);

        Assert.True(upstream.IsRetired);
        Assert.Equal(0, upstream.IdleCount);
        Assert.Equal(1, kept.IdleCount);
        Assert.Same(kept, forwarder.Upstream(live));
        Assert.NotSame(upstream, forwarder.Upstream(gone));
    }

    private static async Task<Http1Connection> ConnectAsync(Http1Upstream upstream)
    {
        var (connection, outcome) = await upstream.ConnectAsync(CancellationToken.None, CancellationToken.None);
        Assert.Equal(AttemptOutcome.Success, outcome);
        return connection!;
    }
}
