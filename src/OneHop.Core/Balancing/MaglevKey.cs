using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Balancing;

/// <summary>
/// The request's hash key for <c>maglev</c> as a stable 64-bit hash (XXH3, the same on every replica): the client
/// address, a header, a cookie or the path. Text is hashed as its UTF-16 code units, without copying.
/// </summary>
internal static class MaglevKey
{
    /// <summary>False when the request has no such key (no header, no cookie, no address), so the caller falls back.</summary>
    public static bool TryHash(HttpContext context, HashKey key, out ulong hash)
    {
        switch (key.Source)
        {
            case HashKeySource.ClientIp:
                return TryHashAddress(context, out hash);
            case HashKeySource.Header:
                var values = context.Request.Headers[key.Name!];
                return TryHashText(values.Count == 1 ? values[0] : values.Count == 0 ? null : values.ToString(), out hash);
            case HashKeySource.Cookie:
                return TryHashText(context.Request.Cookies[key.Name!], out hash);
            default:
                return TryHashText(context.Request.Path.HasValue ? context.Request.Path.Value : "/", out hash);
        }
    }

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

    private static bool TryHashAddress(HttpContext context, out ulong hash)
    {
        hash = 0;
        var address = context.Connection.RemoteIpAddress;
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
