using System.Buffers.Text;
using System.Text;

namespace OneHop.Core.Proxy.Http;

/// <summary>The user and password of a <c>Basic</c> Authorization header (RFC 7617).</summary>
internal static class BasicCredentials
{
    /// <summary>The user and password, or null when the header is not Basic or not base64 of <c>user:password</c>.</summary>
    public static (string User, string Password)? Read(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var encoded = authorization.AsSpan(6).Trim();
        var bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var length))
        {
            return null;
        }

        var pair = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : (pair[..colon], pair[(colon + 1)..]);
    }
}
