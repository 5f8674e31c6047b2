using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// An endpoint's weight as every algorithm uses it: its configured weight × its slow-start factor, so a pod that
/// just joined ramps from 10% of its share to all of it over the backend's slow-start window.
/// </summary>
internal static class EffectiveWeight
{
    public static double Of(Destination destination, TimeSpan slowStart) =>
        destination.Weight * destination.Runtime.SlowStartFactor(slowStart);
}
