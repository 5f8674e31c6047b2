using System.IO.Hashing;
using System.Runtime.InteropServices;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Balancing;

/// <summary>
/// The request's hash key for <c>maglev</c> as a stable 64-bit hash (XXH3, the same on every replica): the client
/// address, a header, a cookie or the path. Text is hashed as its UTF-16 code units, without copying.
/// </summary>
internal static class MaglevKey
{
    /// <summary>False when the request has no such key (no header, no cookie, no address), so the caller falls back.</summary>
    public static bool TryHash(IBalancedRequest request, HashKey key, out ulong hash) => key.Source switch
    {
        HashKeySource.ClientIp => TryHashAddress(request.ClientAddress, out hash),
        HashKeySource.Header => TryHashText(request.Header(key.Name!), out hash),
        HashKeySource.Cookie => TryHashText(request.Cookie(key.Name!), out hash),
        _ => TryHashText(request.Path is { Length: > 0 } path ? path : "/", out hash),
    };

    /// <summary>A second, independent value in [0, 1) from a key's hash (SplitMix64's finaliser), for slow start.</summary>
    public static double Fraction(ulong hash)
    {
        var z = hash + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    private static bool TryHashText(string? text, out ulong hash)
    {
        hash = string.IsNullOrEmpty(text) ? 0 : XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
        return !string.IsNullOrEmpty(text);
    }

    private static bool TryHashAddress(System.Net.IPAddress? address, out ulong hash)
    {
        hash = 0;
        Span<byte> bytes = stackalloc byte[16];
        if (address is null || !address.TryWriteBytes(bytes, out var written))
        {
            return false;
        }

        // An IPv4 client seen on a dual-stack socket is the same client as on an IPv4 one.
        var key = written == 16 && address.IsIPv4MappedToIPv6 ? bytes[12..16] : bytes[..written];
        hash = XxHash3.HashToUInt64(key);
        return true;
    }
}
