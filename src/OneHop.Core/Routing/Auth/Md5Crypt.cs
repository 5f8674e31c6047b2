using System.Security.Cryptography;
using System.Text;

namespace OneHop.Core.Routing.Auth;

/// <summary>
/// MD5-crypt (<c>$1$</c>) and Apache's APR1 variant (<c>$apr1$</c>, what <c>htpasswd -m</c> writes): the same algorithm
/// with another magic string. Hand-written because .NET has no crypt(3); it is Poul-Henning Kamp's public-domain
/// md5crypt.c, checked against Apache's own example and <c>openssl passwd -1/-apr1</c> in the tests.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "MD5-crypt is the format of existing htpasswd files; OneHop only checks them")]
internal static class Md5Crypt
{
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The hash of <paramref name="password"/> with <paramref name="magic"/> (<c>$1$</c> or <c>$apr1$</c>) and <paramref name="salt"/> (at most 8 characters used).</summary>
    public static string Hash(string password, string magic, string salt)
    {
        var pw = Encoding.UTF8.GetBytes(password);
        var saltBytes = Encoding.UTF8.GetBytes(salt.Length > 8 ? salt[..8] : salt);
        var magicBytes = Encoding.ASCII.GetBytes(magic);

        var alternate = MD5.HashData([.. pw, .. saltBytes, .. pw]);
        var context = new List<byte>(pw.Length * 3 + 32);
        context.AddRange(pw);
        context.AddRange(magicBytes);
        context.AddRange(saltBytes);
        for (var left = pw.Length; left > 0; left -= 16)
        {
            context.AddRange(alternate.AsSpan(0, Math.Min(left, 16)));
        }

        for (var i = pw.Length; i != 0; i >>= 1)
        {
            context.Add((i & 1) != 0 ? (byte)0 : pw.Length > 0 ? pw[0] : (byte)0);
        }

        var final = MD5.HashData(context.ToArray());
        for (var i = 0; i < 1000; i++)
        {
            context.Clear();
            context.AddRange((i & 1) != 0 ? pw : final);
            if (i % 3 != 0)
            {
                context.AddRange(saltBytes);
            }

            if (i % 7 != 0)
            {
                context.AddRange(pw);
            }

            context.AddRange((i & 1) != 0 ? final : pw);
            final = MD5.HashData(context.ToArray());
        }

        var text = new StringBuilder(magic.Length + saltBytes.Length + 23);
        text.Append(magic).Append(Encoding.UTF8.GetString(saltBytes)).Append('$');
        Encode(text, final[0], final[6], final[12], 4);
        Encode(text, final[1], final[7], final[13], 4);
        Encode(text, final[2], final[8], final[14], 4);
        Encode(text, final[3], final[9], final[15], 4);
        Encode(text, final[4], final[10], final[5], 4);
        Encode(text, 0, 0, final[11], 2);
        return text.ToString();
    }

    /// <summary>True when <paramref name="password"/> hashes to <paramref name="hash"/> (<c>$1$salt$...</c> or <c>$apr1$salt$...</c>).</summary>
    public static bool Verify(string password, string hash)
    {
        var magic = hash.StartsWith("$apr1$", StringComparison.Ordinal) ? "$apr1$" : "$1$";
        var end = hash.IndexOf('$', magic.Length);
        if (end < 0)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(hash);
        var actual = Encoding.ASCII.GetBytes(Hash(password, magic, hash[magic.Length..end]));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static void Encode(StringBuilder text, byte a, byte b, byte c, int count)
    {
        var value = (a << 16) | (b << 8) | c;
        for (var i = 0; i < count; i++)
        {
            text.Append(Alphabet[value & 0x3f]);
            value >>= 6;
        }
    }
}
