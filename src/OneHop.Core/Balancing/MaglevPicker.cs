using OneHop.Core.Configuration.Policies;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// <c>maglev</c>: consistent hashing of the backend's hash key on a <see cref="MaglevTable"/>, built once per
/// destination list and identical on every replica. A request without the key (no such header or cookie) falls back
/// to p2c. From the key's slot the pick walks forward through the table to the first distinct endpoint that
/// <list type="bullet">
/// <item>is in the list it was given (a retry's narrowed list reuses the cluster's table: the retry goes to the
/// key's next endpoint, the same one on every replica);</item>
/// <item>is under the bounded load, if set (Mirrokni et al., 2018): in flight + 1 ≤ ⌈c × (total in flight + 1) / n⌉,
/// the ceiling guaranteeing that some endpoint qualifies;</item>
/// <item>while it ramps under slow start, keeps this key: a key stays with a ramping pod when a second hash of the
/// key, in [0, 1), is below the pod's factor relative to the oldest pod's — the same keys on every request, more of
/// them as the pod warms up.</item>
/// </list>
/// Without bound, slow start or retry the pick is one table lookup. Weights shape the table (Envoy's weighted Maglev).
/// </summary>
internal sealed class MaglevPicker(BalancingContext balancing) : IEndpointPicker
{

    public string Name => BalancingAlgorithms.Maglev;

    public Destination? Pick(BackendState backend, DestinationSet availableDestinations, IBalancedRequest request)
    {
        var count = availableDestinations.Count;
        if (count == 0)
        {
            return null;
        }

        var policy = backend.Policy;
        var list = availableDestinations.Primary;
        var narrowed = availableDestinations.IsNarrowed;
        if (list.Count > MaglevTable.MaxEndpoints || !MaglevKey.TryHash(request, policy.HashKey, out var hash))
        {
            return PowerOfTwo.PickByLoad(balancing, availableDestinations, policy.SlowStart);
        }

        var state = list.PickerState(0, static (l, _) => new MaglevState(MaglevTable.Build(l), new SlowStartRamp(l)));
        var slot = (int)(hash % MaglevTable.Size);
        var ramping = state.Ramp.IsRamping(balancing.Time, policy.SlowStart);
        return policy.BoundedLoad is null && !ramping && !narrowed
            ? state.Table.Endpoints[state.Table.EndpointAt(slot)]
            : Walk(state, availableDestinations, narrowed, slot, hash, policy, ramping);
    }

    private Destination Walk(MaglevState state, DestinationSet candidates, bool narrowed, int slot, ulong hash, BackendPolicy policy, bool ramping)
    {
        var table = state.Table;
        var words = (table.Endpoints.Count + 63) >> 6;
        Span<ulong> seen = words <= 64 ? stackalloc ulong[64] : new ulong[words];
        Span<ulong> allowed = narrowed ? (words <= 64 ? stackalloc ulong[64] : new ulong[words]) : default;
        for (var i = 0; narrowed && i < candidates.Count; i++)
        {
            var index = table.IndexOf(candidates[i]);
            if (index >= 0)
            {
                allowed[index >> 6] |= 1UL << (index & 63);
            }
        }

        var capacity = long.MaxValue;
        if (policy.BoundedLoad is { } factor)
        {
            long total = 0;
            for (var i = 0; i < candidates.Count; i++)
            {
                total += candidates[i].Runtime.InFlight;
            }

            capacity = (long)Math.Ceiling(factor * (total + 1) / candidates.Count);
        }

        var window = policy.SlowStart;
        var maxFactor = ramping ? state.Ramp.MaxFactor(window) : 1;
        var keyShare = ramping ? MaglevKey.Fraction(hash) : 0;
        Destination? firstAllowed = null;
        Destination? firstUnderBound = null;
        var left = candidates.Count;
        for (var step = 0; step < MaglevTable.Size && left > 0; step++, slot = slot == MaglevTable.Size - 1 ? 0 : slot + 1)
        {
            var index = table.EndpointAt(slot);
            var bit = 1UL << (index & 63);
            if ((seen[index >> 6] & bit) != 0 || (narrowed && (allowed[index >> 6] & bit) == 0))
            {
                continue;
            }

            seen[index >> 6] |= bit;
            left--;
            var destination = table.Endpoints[index];
            firstAllowed ??= destination;
            var runtime = destination.Runtime;
            if (runtime.InFlight >= capacity)
            {
                continue;
            }

            firstUnderBound ??= destination;
            if (!ramping || keyShare < runtime.SlowStartFactor(window) / maxFactor)
            {
                return destination;
            }
        }

        // Everyone over the bound can only be a race between counts; a key no ramping pod keeps stays where it is.
        return firstUnderBound ?? firstAllowed ?? candidates[0];
    }
}
