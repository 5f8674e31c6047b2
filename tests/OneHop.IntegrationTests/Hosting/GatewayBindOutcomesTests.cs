using System.Net;
using Microsoft.Extensions.Time.Testing;
using OneHop.Hosting;

namespace OneHop.IntegrationTests.Hosting;

/// <summary>A snapshot's Gateway endpoints settle once each listens or has failed, never before, and never never.</summary>
public sealed class GatewayBindOutcomesTests
{
    private static readonly IPEndPoint A = IPEndPoint.Parse("127.0.0.1:80");
    private static readonly IPEndPoint B = IPEndPoint.Parse("127.0.0.1:8080");

    private readonly FakeTimeProvider _time = new();
    private readonly List<long> _settled = [];

    [Fact]
    public void A_version_settles_once_every_endpoint_it_binds_has_an_outcome()
    {
        var outcomes = New();
        outcomes.Expect(1, [A, B], new HashSet<IPEndPoint> { A, B });
        Assert.Equal(0, outcomes.SettledVersion);
        Assert.Equal("127.0.0.1:80, 127.0.0.1:8080", outcomes.Pending);

        outcomes.Listening(A);
        Assert.Equal(0, outcomes.SettledVersion);
        Assert.Equal("127.0.0.1:8080", outcomes.Pending);

        outcomes.Failed(B, "address in use");
        Assert.Equal(1, outcomes.SettledVersion);
        Assert.Equal([1], _settled);
        Assert.Null(outcomes.Pending);
        Assert.Equal("127.0.0.1:8080: address in use", outcomes.Failures);
    }

    [Fact]
    public void Endpoints_kept_from_the_last_version_keep_their_outcome_and_a_dropped_one_is_forgotten()
    {
        var outcomes = New();
        outcomes.Expect(1, [A, B], new HashSet<IPEndPoint> { A, B });
        outcomes.Listening(A);
        outcomes.Failed(B, "address in use");

        // Nothing new to bind: settled at once.
        outcomes.Expect(2, [A, B], new HashSet<IPEndPoint>());
        Assert.Equal(2, outcomes.SettledVersion);

        // B dropped, so its failure goes; a late word about it changes nothing.
        outcomes.Expect(3, [A], new HashSet<IPEndPoint>());
        outcomes.Failed(B, "address in use");
        Assert.Equal(3, outcomes.SettledVersion);
        Assert.Null(outcomes.Failures);
        Assert.Equal([1, 2, 3], _settled);
    }

    [Fact]
    public void An_endpoint_Kestrel_says_nothing_about_fails_after_the_timeout()
    {
        var outcomes = New();
        outcomes.Expect(1, [A], new HashSet<IPEndPoint> { A });

        _time.Advance(GatewayBindOutcomes.Timeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, outcomes.SettledVersion);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, outcomes.SettledVersion);
        Assert.Contains("did not bind it within 10s", outcomes.Failures, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_with_no_endpoint_settles_at_once()
    {
        var outcomes = New();
        outcomes.Expect(4, [], new HashSet<IPEndPoint>());
        Assert.Equal(4, outcomes.SettledVersion);
    }

    private GatewayBindOutcomes New()
    {
        var outcomes = new GatewayBindOutcomes(_time);
        outcomes.Settled += _settled.Add;
        return outcomes;
    }
}
