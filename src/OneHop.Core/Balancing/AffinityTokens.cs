using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using OneHop.Core.Health;

namespace OneHop.Core.Balancing;

/// <summary>
/// The affinity cookie values of one destination list. A value is HMAC-SHA256(key, endpoint id) cut to 128 bits,
/// base64url: it names the pod without showing its address, is the same on every replica that has the same key,
/// and cannot be made up for a pod without the key. Computed once per list, so a request costs one dictionary hit.
/// </summary>
internal sealed class AffinityTokens
{
    private const int TokenBytes = 16;

    private readonly Dictionary<string, Destination> _byToken;

    public AffinityTokens(DestinationSet destinations, byte[] key)
    {
        _byToken = new Dictionary<string, Destination>(destinations.Count, StringComparer.Ordinal);
        for (var i = 0; i < destinations.Count; i++)
        {
            _byToken[For(key, destinations[i].Id)] = destinations[i];
        }
    }

    public bool TryFind(string token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Destination? destination) =>
        _byToken.TryGetValue(token, out destination);

    public static string For(byte[] key, string endpointId)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(endpointId), mac);
        return Base64Url.EncodeToString(mac[..TokenBytes]);
    }
}
