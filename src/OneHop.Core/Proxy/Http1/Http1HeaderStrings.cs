using System.Text;

namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// The header name and value strings of the last response on one connection, by position. A pod answers with the
/// same headers in the same order (Content-Type, Server, the same Date for a second), so comparing the bytes with the
/// string in the same place and reusing it leaves almost no string allocated per response in steady state. Used by
/// one exchange at a time.
/// </summary>
internal sealed class Http1HeaderStrings
{
    private const int Slots = 32;

    private readonly string?[] _names = new string?[Slots];
    private readonly string?[] _values = new string?[Slots];

    public string Name(int index, ReadOnlySpan<byte> bytes) => Get(_names, index, bytes);

    public string Value(int index, ReadOnlySpan<byte> bytes) => Get(_values, index, bytes);

    private static string Get(string?[] slots, int index, ReadOnlySpan<byte> bytes)
    {
        if ((uint)index < Slots && slots[index] is { } known && Latin1Equals(known, bytes))
        {
            return known;
        }

        var created = Encoding.Latin1.GetString(bytes);
        if ((uint)index < Slots)
        {
            slots[index] = created;
        }

        return created;
    }

    private static bool Latin1Equals(string text, ReadOnlySpan<byte> bytes)
    {
        if (text.Length != bytes.Length)
        {
            return false;
        }

        if (Ascii.Equals(bytes, text))
        {
            return true;
        }

        for (var i = 0; i < bytes.Length; i++)
        {
            if (text[i] != bytes[i])
            {
                return false;
            }
        }

        return true;
    }
}
