using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OneHop.Core.Proxy.Http;
using OneHop.Core.Proxy.Http.SharedRates;
using OneHop.Core.Routing;

namespace OneHop.Core.Tests.Proxy.Http.SharedRates;

/// <summary>
/// Rate limits counted by several replicas together: two <see cref="SharedRateCounts"/> (two replicas) over one store
/// admit what one limit admits, over by at most what a replica admitted on a view of the store one sync old; a store
/// that fails leaves each replica counting on its own, and what a replica counted alone is not forgotten when the
/// store is back; every Ingress (zone) and every rate has buckets of its own. Fake time; rates per minute.
/// </summary>
public sealed class SharedRateCountsTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.1");

    private readonly FakeTimeProvider _time = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_replicas_admit_together_what_one_limit_admits()
    {
        var store = new MemoryRateStore(_time);
        using var a = Counts(store);
        using var b = Counts(store);
        var limit = Limit(perMinute: 6, burst: 1); // 6 × 1 + 1 = 7 at once
        using var onA = new RouteRateLimiter(limit, a);
        using var onB = new RouteRateLimiter(limit, b);

        // Alternating replicas, both syncing between two requests. A replica reads the store when it syncs a bucket it
        // used, so each decides on a view that misses the other's last request: the limit's 7 and at most that one more
        // (each counting alone: 14).
        var admitted = 0;
        for (var i = 0; i < 20; i++)
        {
            admitted += Admit(i % 2 == 0 ? onA : onB) ? 1 : 0;
            await a.SyncAsync(Cancel);
            await b.SyncAsync(Cancel);
        }

        Assert.InRange(admitted, 7, 8);
        Assert.Equal(admitted, store.Level($"test:default/web:m:{Client}"), 3);
        Assert.False(Admit(onA));
        Assert.False(Admit(onB));
    }

    [Fact]
    public async Task Between_syncs_each_replica_may_take_one_burst_then_they_count_together()
    {
        var store = new MemoryRateStore(_time);
        using var a = Counts(store);
        using var b = Counts(store);
        var limit = Limit(perMinute: 6, burst: 1);
        using var onA = new RouteRateLimiter(limit, a);
        using var onB = new RouteRateLimiter(limit, b);

        // Both replicas take the whole burst before either syncs: 14, the bound the docs name (one burst per replica
        // that had not seen the client). A synced first and read 7, B read 14.
        Assert.Equal(7, Enumerable.Range(0, 10).Count(_ => Admit(onA)));
        Assert.Equal(7, Enumerable.Range(0, 10).Count(_ => Admit(onB)));
        await a.SyncAsync(Cancel);
        await b.SyncAsync(Cancel);

        // A refused client reads the store again after ten syncs' time: then both replicas know the 14.
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.False(Admit(onA));
        Assert.False(Admit(onB));
        await a.SyncAsync(Cancel);
        await b.SyncAsync(Cancel);

        // 6 a minute drain one every 10 s: 14 in the bucket leave room for one again only after 80 s, for both.
        _time.Advance(TimeSpan.FromSeconds(73));
        Assert.False(Admit(onA));
        Assert.False(Admit(onB));
        await a.SyncAsync(Cancel);
        await b.SyncAsync(Cancel);
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(Admit(onA));
        Assert.True(Admit(onB)); // the one more a view one sync old lets through
        Assert.False(Admit(onA));
        await a.SyncAsync(Cancel);
        await b.SyncAsync(Cancel);
        Assert.False(Admit(onA));
        Assert.False(Admit(onB));
    }

    [Fact]
    public async Task A_store_that_fails_leaves_each_replica_counting_on_its_own_and_keeps_its_count_when_back()
    {
        var store = new MemoryRateStore(_time) { Down = true };
        using var a = Counts(store);
        using var b = Counts(store);
        var limit = Limit(perMinute: 2, burst: 1); // 3 at once
        using var onA = new RouteRateLimiter(limit, a);
        using var onB = new RouteRateLimiter(limit, b);

        Assert.Equal(2, Enumerable.Range(0, 2).Count(_ => Admit(onA)));
        await a.SyncAsync(Cancel);
        Assert.Equal(0, a.Up);
        Assert.Equal(1, a.Failures);

        // What A admitted stays counted on A: one more, then refused, as a replica without a store.
        Assert.True(Admit(onA));
        Assert.False(Admit(onA));
        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => Admit(onB)));

        // Back: what the store missed goes in with the next sync (A's two that failed, drained by nothing yet, and its
        // third; B's three), and neither replica admits more before the bucket drains.
        store.Down = false;
        await a.SyncAsync(Cancel);
        await b.SyncAsync(Cancel);
        Assert.Equal(1, a.Up);
        Assert.Equal(1, a.Syncs);
        Assert.Equal(6, store.Level($"test:default/web:m:{Client}"), 3);
        Assert.False(Admit(onA));
        Assert.False(Admit(onB));
    }

    [Fact]
    public async Task Between_syncs_what_a_replica_admitted_drains_so_a_client_within_its_limit_is_not_refused()
    {
        var store = new MemoryRateStore(_time);
        using var counts = Counts(store);
        using var limiter = new RouteRateLimiter(new RouteRateLimit(10, 0, 0, 1, []) { Zone = "default/web" }, counts); // 11 at once

        // 8 a second for 5 s with no sync (a long interval, or a store that hangs): 40 requests, all within the limit.
        for (var i = 0; i < 40; i++)
        {
            Assert.True(Admit(limiter), $"request {i}");
            _time.Advance(TimeSpan.FromMilliseconds(125));
        }

        // What the store gets is what is left of them now, as the store would have drained them.
        await counts.SyncAsync(Cancel);
        Assert.InRange(store.Level($"test:default/web:s:{Client}"), 0, 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task A_flood_on_every_replica_gets_the_limit_s_rate_in_all(int replicas)
    {
        var store = new MemoryRateStore(_time);
        var counts = Enumerable.Range(0, replicas).Select(_ => Counts(store)).ToList();
        var limiters = counts.Select(c => new RouteRateLimiter(new RouteRateLimit(10, 0, 0, 1, []) { Zone = "default/web" }, c)).ToList();

        // 10 s of a client sending 100 a second to each replica, every replica syncing every 100 ms: the burst (11) and
        // 10 a second, whatever the number of replicas; over by at most what the others admit in a sync's time.
        var admitted = 0;
        for (var tick = 0; tick < 1000; tick++)
        {
            admitted += limiters.Count(l => Admit(l));
            _time.Advance(TimeSpan.FromMilliseconds(10));
            if (tick % 10 == 9)
            {
                foreach (var c in counts)
                {
                    await c.SyncAsync(Cancel);
                }
            }
        }

        Assert.InRange(admitted, 105, 111 + (replicas * 2));
        limiters.ForEach(l => l.Dispose());
        counts.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_snapshot_that_changes_another_limit_of_the_route_keeps_the_counts()
    {
        var store = new MemoryRateStore(_time);
        using var counts = Counts(store);
        var before = new RouteRateLimiter(Limit(perMinute: 1, burst: 1), counts); // 2 at once
        Assert.Equal(2, Enumerable.Range(0, 5).Count(_ => Admit(before)));

        // The new snapshot's limiter is made while the old one still serves (limit-connections added), then the old goes.
        using var after = new RouteRateLimiter(Limit(perMinute: 1, burst: 1) with { Connections = 50 }, counts);
        before.Dispose();
        Assert.False(Admit(after)); // no fresh burst
        await counts.SyncAsync(Cancel);
        Assert.Equal(2, store.Level($"test:default/web:m:{Client}"), 3); // and what the old one admitted reached the store
    }

    [Fact]
    public async Task An_update_that_fails_fails_for_its_bucket_alone()
    {
        var store = new MemoryRateStore(_time);
        using var counts = Counts(store);
        using var web = new RouteRateLimiter(Limit(perMinute: 1, burst: 1), counts);
        using var shop = new RouteRateLimiter(Limit(perMinute: 1, burst: 1) with { Zone = "default/shop" }, counts);
        store.Failing.Add($"test:default/shop:m:{Client}");

        Assert.True(Admit(web));
        Assert.True(Admit(shop));
        await counts.SyncAsync(Cancel);

        Assert.Equal(1, counts.Up); // the store answered the other update
        Assert.Equal(1, store.Level($"test:default/web:m:{Client}"), 3);
        Assert.Equal(0, store.Level($"test:default/shop:m:{Client}"), 3);
        Assert.True(Admit(shop)); // counted here alone: one more of its 2, then refused
        Assert.False(Admit(shop));
    }

    [Fact]
    public async Task Each_ingress_and_each_rate_has_buckets_of_its_own()
    {
        var store = new MemoryRateStore(_time);
        using var counts = Counts(store);
        using var web = new RouteRateLimiter(Limit(perMinute: 1, burst: 1), counts);
        using var shop = new RouteRateLimiter(Limit(perMinute: 1, burst: 1) with { Zone = "default/shop" }, counts);
        using var both = new RouteRateLimiter(new RouteRateLimit(100, 1, 0, 1, []) { Zone = "default/both" }, counts);

        Assert.Equal(2, Enumerable.Range(0, 5).Count(_ => Admit(web)));
        Assert.Equal(2, Enumerable.Range(0, 5).Count(_ => Admit(shop)));
        Assert.Equal(2, Enumerable.Range(0, 5).Count(_ => Admit(both))); // the minute's rate refuses; the second's admits
        await counts.SyncAsync(Cancel);
        Assert.Equal(2, store.Level($"test:default/web:m:{Client}"), 3);
        Assert.Equal(2, store.Level($"test:default/shop:m:{Client}"), 3);
        Assert.Equal(2, store.Level($"test:default/both:s:{Client}"), 3); // a request the minute refused is not spent here
        Assert.Equal(2, store.Level($"test:default/both:m:{Client}"), 3);
    }

    [Fact]
    public async Task An_unused_bucket_is_not_synced_and_an_idle_empty_one_is_forgotten()
    {
        var store = new MemoryRateStore(_time);
        using var counts = Counts(store);
        var zone = counts.Zone("default/web", "m", 60, TimeSpan.FromMinutes(1), 2);
        Assert.True(zone.For(Client).TryAdmit());
        await counts.SyncAsync(Cancel);
        Assert.Equal(1, store.Calls);
        await counts.SyncAsync(Cancel);
        Assert.Equal(1, store.Calls); // nothing used since: no round trip

        // Drained, and unused for more than a minute: forgotten at the next housekeeping.
        _time.Advance(TimeSpan.FromSeconds(30));
        await counts.SyncAsync(Cancel);
        Assert.Equal(1, zone.Count);
        _time.Advance(TimeSpan.FromSeconds(31));
        await counts.SyncAsync(Cancel);
        Assert.Equal(0, zone.Count);
        Assert.Equal(1, store.Calls);
    }

    [Fact]
    public async Task With_nothing_to_sync_the_store_is_pinged_so_its_state_stays_true()
    {
        var store = new MemoryRateStore(_time);
        using var counts = Counts(store);
        await counts.SyncAsync(Cancel);
        Assert.Equal(0, store.Pings); // not before a second without contact
        _time.Advance(TimeSpan.FromSeconds(1));
        await counts.SyncAsync(Cancel);
        Assert.Equal((1, 1), (store.Pings, counts.Up));

        store.Down = true;
        _time.Advance(TimeSpan.FromSeconds(1));
        await counts.SyncAsync(Cancel);
        Assert.Equal((2, 0), (store.Pings, counts.Up));
    }

    private static RouteRateLimit Limit(int perMinute, int burst) => new(0, perMinute, 0, burst, []) { Zone = "default/web" };

    private static bool Admit(RouteRateLimiter limiter) => limiter.TryAcquire(Client, out _, out _);

    private SharedRateCounts Counts(MemoryRateStore store) => new(store, "memory", "test", TimeSpan.FromMilliseconds(100), _time, NullLogger.Instance);
}
