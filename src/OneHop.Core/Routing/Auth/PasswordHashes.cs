using System.Security.Cryptography;
using System.Text;

namespace OneHop.Core.Routing.Auth;

/// <summary>
/// The htpasswd hash formats ingress-nginx's nginx accepts that OneHop checks: bcrypt (<c>$2y$</c>, <c>$2a$</c>,
/// <c>$2b$</c>, <c>htpasswd -B</c>, through BCrypt.Net-Next), APR1 and MD5-crypt (<c>$apr1$</c>, <c>$1$</c>, <c>htpasswd -m</c>),
/// SHA-1 (<c>{SHA}</c>, <c>htpasswd -s</c>) and <c>{PLAIN}</c>. Other crypt(3) hashes (DES, <c>$5$</c>, <c>$6$</c>) are refused by
/// <see cref="Problem"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "{SHA} is the format of existing htpasswd files; OneHop only checks them")]
internal static class PasswordHashes
{
    /// <summary>Why OneHop cannot check <paramref name="hash"/>, or null.</summary>
    public static string? Problem(string hash) => hash switch
    {
        _ when IsBcrypt(hash) => BCryptSyntax(hash) ? null : "a bcrypt hash must be $2y$NN$ and 53 characters of salt and hash",
        _ when hash.StartsWith("$apr1$", StringComparison.Ordinal) || hash.StartsWith("$1$", StringComparison.Ordinal) =>
            hash.Count(c => c == '$') == 3 ? null : "an MD5-crypt hash must be $apr1$SALT$HASH",
        _ when hash.StartsWith("{SHA}", StringComparison.Ordinal) =>
            Convert.TryFromBase64String(hash[5..], new byte[20], out var n) && n == 20 ? null : "a {SHA} hash must be 20 bytes in base64",
        _ when hash.StartsWith("{PLAIN}", StringComparison.Ordinal) => null,
        _ when hash.StartsWith("$5$", StringComparison.Ordinal) || hash.StartsWith("$6$", StringComparison.Ordinal) =>
            "SHA-crypt hashes ($5$, $6$) are not supported: write the password with htpasswd -B (bcrypt)",
        _ => "DES crypt and unknown hashes are not supported: write the password with htpasswd -B (bcrypt)",
    };

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; false for a hash <see cref="Problem"/> refuses.</summary>
    public static bool Verify(string password, string hash)
    {
        if (IsBcrypt(hash))
        {
            return BCryptSyntax(hash) && BCrypt.Net.BCrypt.Verify(password, hash);
        }

        if (hash.StartsWith("$apr1$", StringComparison.Ordinal) || hash.StartsWith("$1$", StringComparison.Ordinal))
        {
            return Md5Crypt.Verify(password, hash);
        }

        if (hash.StartsWith("{SHA}", StringComparison.Ordinal))
        {
            Span<byte> digest = stackalloc byte[20];
            SHA1.HashData(Encoding.UTF8.GetBytes(password), digest);
            return Equal(Convert.ToBase64String(digest), hash[5..]);
        }

        return hash.StartsWith("{PLAIN}", StringComparison.Ordinal) && Equal(password, hash[7..]);
    }

    private static bool IsBcrypt(string hash) =>
        hash.StartsWith("$2y$", StringComparison.Ordinal) || hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal);

    private static bool BCryptSyntax(string hash) =>
        hash.Length == 60 && hash[6] == '$' && char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5]);

    private static bool Equal(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
