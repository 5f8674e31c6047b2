using CsCheck;

namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>Bytes inserted, deleted or replaced at random places of a generated input: the edits of the binary fuzz tests.</summary>
internal static class ByteMutator
{
    /// <summary>One to four edits of each input <paramref name="inputs"/> generates, with bytes drawn from <paramref name="bytes"/>.</summary>
    public static Gen<byte[]> Mutated(Gen<byte[]> inputs, Gen<byte> bytes) =>
        Gen.Select(inputs, Gen.Select(Gen.Int[0, 2], Gen.Int[0, 1 << 16], bytes).Array[1, 4], Apply);

    private static byte[] Apply(byte[] input, (int Kind, int Where, byte Value)[] edits)
    {
        var bytes = input.ToList();
        foreach (var (kind, where, value) in edits)
        {
            var at = bytes.Count == 0 ? 0 : where % bytes.Count;
            switch (kind)
            {
                case 0:
                    bytes.Insert(at, value);
                    break;
                case 1 when bytes.Count > 0:
                    bytes.RemoveAt(at);
                    break;
                case 2 when bytes.Count > 0:
                    bytes[at] = value;
                    break;
            }
        }

        return [.. bytes];
    }
}
