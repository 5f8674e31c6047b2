using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// What the pickers that do not weigh every endpoint on every pick (round robin, random, Maglev) need to know about
/// slow start for one destination list: whether anyone is still ramping (if not, the pick stays O(1)), and the
/// largest factor, relative to which the others are judged — endpoints that joined together (OneHop itself just
/// started) then share traffic as if none were ramping.
/// </summary>
internal sealed class SlowStartRamp
{
    private readonly EndpointRuntime? _oldest;
    private readonly long _newestJoinedAt;

    public SlowStartRamp(DestinationSet destinations)
    {
        // A pod's runtime (and when it joined) outlives the list: a pod that leaves and returns comes in a new list.
        for (var i = 0; i < destinations.Count; i++)
        {
            var runtime = destinations[i].Runtime;
            if (_oldest is null || runtime.JoinedAt < _oldest.JoinedAt)
            {
                _oldest = runtime;
            }

            if (i == 0 || runtime.JoinedAt > _newestJoinedAt)
            {
                _newestJoinedAt = runtime.JoinedAt;
            }
        }
    }

    public bool IsRamping(TimeProvider time, TimeSpan window) =>
        window > TimeSpan.Zero && _oldest is not null && time.GetElapsedTime(_newestJoinedAt) < window;

    /// <summary>The oldest endpoint's slow-start factor, the largest in the list.</summary>
    public double MaxFactor(TimeSpan window) => _oldest?.SlowStartFactor(window) ?? 1;
}
