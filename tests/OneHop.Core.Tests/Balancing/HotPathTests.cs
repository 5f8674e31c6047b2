using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

/// <summary>Pickers run on every request: once a destination list has been seen, a pick allocates nothing.</summary>
public sealed class HotPathTests
{
    public static TheoryData<string, bool> Cases()
    {
        var cases = new TheoryData<string, bool>();
        foreach (var algorithm in BalancingAlgorithms.All)
        {
            cases.Add(algorithm, false);
            cases.Add(algorithm, true);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_pick_allocates_nothing(string algorithm, bool slowStartRamping)
    {
        var policy = BackendPolicy.Default with
        {
            HashKey = HashKey.Parse("header:x-user")!,
            BoundedLoad = slowStartRamping ? 1.25 : null,
            SlowStart = slowStartRamping ? TimeSpan.FromMinutes(1) : TimeSpan.Zero,
        };
        var harness = new BalancerHarness(policy: policy);
        harness.Publish(BalancerHarness.Ids(10));
        if (slowStartRamping)
        {
            // Half the pods are old, half are ramping.
            harness.Time.Advance(TimeSpan.FromMinutes(5));
            harness.Publish([.. BalancerHarness.Ids(5), .. BalancerHarness.Ids(5, first: 20)]);
        }

        var picker = harness.Create(algorithm);
        var (context, response) = StartableResponseFeature.Request();
        context.Request.Headers["x-user"] = "user-1";
        harness.Pick(picker, context);
        await response.StartAsync();
        if (context.Response.Headers.SetCookie is [{ } issued])
        {
            // The cookie algorithm allocates when it issues a cookie, not for a session that has one.
            context.Request.Headers.Cookie = issued.Split(';')[0];
        }

        for (var i = 0; i < 100; i++)
        {
            harness.Pick(picker, context);
        }

        // A per-pick allocation shows in every round; a one-off of the runtime's (a method recompiled by tiered JIT
        // on this thread) in one round only.
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                harness.Pick(picker, context);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, rounds.Min());
    }
}
