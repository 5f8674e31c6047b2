using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>cookie</c>: session affinity without shared state. The cookie named by the backend's <c>AffinityCookie</c>
/// holds an <see cref="AffinityTokens"/> value; when it names an endpoint among the available ones, that endpoint is
/// used (so sessions survive other pods coming and going). Otherwise — no cookie, a forged or stale one, its pod
/// gone or not ready — p2c picks (slow start applies to new sessions only) and the response sets the cookie.
/// </summary>
/// <param name="key">
/// The HMAC key. The built-in default is the same on every replica, so a cookie issued by one works on all; since it
/// is public, someone who tries every private address could map a value back to an address. An operator's secret
/// key (<see cref="AffinityKey"/>, the same file on every replica) closes that.
/// </param>
internal sealed class CookieAffinityPicker(BalancingContext balancing, AffinityKey? key = null) : IEndpointPicker
{
    private static readonly byte[] BuiltInKey = "onehop.dev/affinity-cookie/v1"u8.ToArray();

    private readonly byte[] _key = key?.Bytes is { Length: > 0 } bytes ? (byte[])bytes.Clone() : BuiltInKey;

    public string Name => BalancingAlgorithms.Cookie;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        var policy = backend.Policy;
        if (request.Cookie(policy.AffinityCookie) is { Length: > 0 } token)
        {
            // A retry's narrowed list uses the backend's tokens; the pod already tried is then not in the list.
            if (Tokens(availableDestinations).TryFind(token, out var pinned) && (!availableDestinations.IsNarrowed || availableDestinations.Contains(pinned)))
            {
                return pinned;
            }
        }

        var chosen = PowerOfTwo.PickByLoad(balancing, availableDestinations, policy.SlowStart)!;
        request.SetAffinityCookie(policy.AffinityCookie, AffinityTokens.For(_key, chosen.Id), policy.AffinityCookieAttributes);
        return chosen;
    }

    /// <summary>
    /// Points the session at <paramref name="destination"/>, which serves the request instead of the pod picked (a capped
    /// backend's full pod spilled, or its queue granted another): the next request returns to the pod that has it.
    /// </summary>
    public void Repin(BackendState backend, Destination destination, IBalancedRequest request) =>
        request.SetAffinityCookie(backend.Policy.AffinityCookie, AffinityTokens.For(_key, destination.Id), backend.Policy.AffinityCookieAttributes);

    /// <summary>
    /// True when <paramref name="token"/> (a request's affinity cookie) names an endpoint <paramref name="backend"/>
    /// offers now: of a route's weighted backends, the request belongs to that one (a canary's split keeps its sessions).
    /// </summary>
    public bool Pins(BackendState backend, string token) =>
        backend.Available() is { Count: > 0 } available
        && Tokens(available).TryFind(token, out _);

    /// <summary>The cookie values of a backend's full list (a retry's narrowed list shares them), built once per list.</summary>
    private AffinityTokens Tokens(DestinationSet destinations) =>
        destinations.Primary.PickerState(_key, static (l, k) => new AffinityTokens(l, k));
}
