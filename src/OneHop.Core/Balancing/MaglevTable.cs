using System.IO.Hashing;
using System.Text;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// A Maglev lookup table (Eisenbud et al., NSDI 2016): <see cref="Size"/> slots, each naming an endpoint, filled by
/// letting endpoints take turns claiming the next free slot of their own permutation of the slots. A key hashes to a
/// slot; when an endpoint leaves, mostly its own slots change hands, so only about 1/n of the keys move.
/// <para>
/// Every replica must build the identical table: endpoints are sorted by id (<c>address:port</c>) and each one's
/// permutation comes from two stable 64-bit hashes of its id (xxHash64 and XXH3, never the per-process randomised
/// <see cref="string.GetHashCode()"/>). Weights follow Envoy: an endpoint of weight w takes a turn in w of every
/// max-weight rounds, so its share of slots is proportional to w.
/// </para>
/// </summary>
internal sealed class MaglevTable
{
    /// <summary>Prime, as the permutation needs, and over 100 × the endpoints of any realistic backend (the paper's rule for even shares).</summary>
    public const int Size = 65537;

    /// <summary>Slots hold an endpoint's index as a ushort (128 KiB per table) with one value kept for "free".</summary>
    public const int MaxEndpoints = ushort.MaxValue - 1;

    private const ushort Free = ushort.MaxValue;

    private readonly Destination[] _endpoints;
    private readonly ushort[] _slots;

    private MaglevTable(Destination[] endpoints, ushort[] slots)
    {
        _endpoints = endpoints;
        _slots = slots;
    }

    /// <summary>The endpoints, sorted by id; slots refer to them by index.</summary>
    public IReadOnlyList<Destination> Endpoints => _endpoints;

    /// <summary>The index of the endpoint that owns <paramref name="slot"/>.</summary>
    public int EndpointAt(int slot) => _slots[slot];

    /// <summary>The index of <paramref name="destination"/> (by reference), or -1; binary search by id.</summary>
    public int IndexOf(Destination destination)
    {
        int low = 0, high = _endpoints.Length - 1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var order = string.CompareOrdinal(_endpoints[middle].Id, destination.Id);
            if (order == 0)
            {
                return ReferenceEquals(_endpoints[middle], destination) ? middle : -1;
            }

            (low, high) = order < 0 ? (middle + 1, high) : (low, middle - 1);
        }

        return -1;
    }

    /// <summary>Builds the table in O(<see cref="Size"/> × n) at worst, from the endpoints' weights; call once per destination list.</summary>
    public static MaglevTable Build(DestinationSet destinations)
    {
        var n = destinations.Count;
        if (n is 0 or > MaxEndpoints)
        {
            throw new ArgumentOutOfRangeException(nameof(destinations), n, $"Maglev needs 1 to {MaxEndpoints} endpoints");
        }

        var endpoints = new Destination[n];
        for (var i = 0; i < n; i++)
        {
            endpoints[i] = destinations[i];
        }

        Array.Sort(endpoints, static (a, b) => string.CompareOrdinal(a.Id, b.Id));

        var position = new long[n];
        var skip = new long[n];
        var weight = new long[n];
        var due = new long[n];
        long maxWeight = 1;
        for (var i = 0; i < n; i++)
        {
            var id = Encoding.UTF8.GetBytes(endpoints[i].Id);
            position[i] = (long)(XxHash64.HashToUInt64(id) % Size);
            skip[i] = (long)(XxHash3.HashToUInt64(id) % (Size - 1)) + 1;
            weight[i] = endpoints[i].Weight;
            maxWeight = Math.Max(maxWeight, weight[i]);
        }

        var slots = new ushort[Size];
        Array.Fill(slots, Free);
        var filled = 0;
        for (long round = 1; filled < Size; round++)
        {
            for (var i = 0; i < n && filled < Size; i++)
            {
                // Envoy's weighting: a max-weight endpoint takes every round, one of a third of it every third.
                if (round * weight[i] < due[i])
                {
                    continue;
                }

                due[i] += maxWeight;
                while (slots[position[i]] != Free)
                {
                    position[i] = (position[i] + skip[i]) % Size;
                }

                slots[position[i]] = (ushort)i;
                position[i] = (position[i] + skip[i]) % Size;
                filled++;
            }
        }

        return new MaglevTable(endpoints, slots);
    }
}
