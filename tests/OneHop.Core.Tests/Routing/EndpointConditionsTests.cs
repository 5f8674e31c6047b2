using k8s.Models;
using OneHop.Core.Routing;
using OneHop.Core.Routing.Endpoints;

namespace OneHop.Core.Tests.Routing;

public sealed class EndpointConditionsTests
{
    // Every combination of (ready, serving, terminating), with null meaning "not set": ready and serving default to
    // true, terminating to false (discovery.k8s.io/v1).
    public static TheoryData<bool?, bool?, bool?, string?> Combinations()
    {
        var data = new TheoryData<bool?, bool?, bool?, string?>();
        bool?[] values = [null, true, false];
        foreach (var ready in values)
        {
            foreach (var serving in values)
            {
                foreach (var terminating in values)
                {
                    var r = ready ?? true;
                    var s = serving ?? true;
                    var t = terminating ?? false;
                    EndpointState? expected = r ? EndpointState.Ready : s && t ? EndpointState.Terminating : null;
                    data.Add(ready, serving, terminating, expected?.ToString());
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Classify_follows_the_documented_defaults(bool? ready, bool? serving, bool? terminating, string? expected) =>
        Assert.Equal(expected, EndpointConditions.Classify(new V1EndpointConditions { Ready = ready, Serving = serving, Terminating = terminating })?.ToString());

    [Fact]
    public void No_conditions_at_all_means_ready() => Assert.Equal(EndpointState.Ready, EndpointConditions.Classify(null));

    [Fact]
    public void Not_ready_and_not_terminating_never_gets_traffic() =>
        Assert.Null(EndpointConditions.Classify(new V1EndpointConditions { Ready = false, Serving = true, Terminating = false }));
}
