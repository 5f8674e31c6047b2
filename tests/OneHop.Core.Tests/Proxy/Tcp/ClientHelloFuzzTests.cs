using System.Text;
using CsCheck;
using OneHop.Core.Proxy.Tcp;
using OneHop.Core.Tests.Support.Fuzz;

namespace OneHop.Core.Tests.Proxy.Tcp;

/// <summary>
/// Property tests of the ClientHello reader with structured, mutated and random bytes: it never throws, never claims
/// more bytes than it was given, reads every well-formed hello (however its records are cut) to the name it carries,
/// finds every prefix of one incomplete, and passes on only names of the DNS alphabet.
/// </summary>
public sealed class ClientHelloFuzzTests
{
    private static readonly Gen<string> Labels = Gen.Char["a-z0-9-"].Array[1, 12].Select(c => new string(c));

    private static readonly Gen<string> Names = Labels.Array[1, 4].Select(l => string.Join('.', l));

    private static readonly Gen<(ushort, byte[])> Extensions = Gen.Select(Gen.UShort[1, 60000], Gen.Byte.Array[0, 40], (t, d) => (t, d));

    private static readonly Gen<(byte[] Bytes, string? Name)> Hellos =
        Gen.Select(Names.Null(), Gen.Int[0, 32], Gen.Int[1, 40], Extensions.Array[0, 4], Gen.Int[0, 400].Array[0, 4], (name, session, suites, extensions, splits) =>
        {
            var unique = extensions.DistinctBy(e => e.Item1).Where(e => e.Item1 != 0).ToArray();
            return (ClientHellos.Build(name, session, suites, unique, splits), name);
        });

    private static readonly Gen<byte[]> Mutated = ByteMutator.Mutated(Hellos.Select(h => h.Bytes), Gen.Byte);

    private static readonly Gen<byte[]> Random =
        Gen.Select(Gen.OneOf(Gen.Const(Array.Empty<byte>()), Gen.Const(new byte[] { 22, 3, 1 }), Gen.Const(new byte[] { 22, 3, 3, 0, 60, 1, 0, 0, 56, 3, 3 })), Gen.Byte.Array[0, 300], (prefix, rest) => prefix.Concat(rest).ToArray());

    [Fact]
    public void Well_formed_hellos_are_read_to_their_name_and_every_prefix_is_incomplete() =>
        Hellos.Sample(
            hello =>
            {
                Assert.Equal(ClientHelloStatus.Complete, ClientHello.TryRead(hello.Bytes, out var name, out var length, out var error));
                Assert.Null(error);
                Assert.Equal(hello.Name, name);
                Assert.Equal(hello.Bytes.Length, length);
                foreach (var cut in new[] { 0, 1, 4, 5, 6, hello.Bytes.Length / 2, hello.Bytes.Length - 1 })
                {
                    Assert.Equal(ClientHelloStatus.Incomplete, ClientHello.TryRead(hello.Bytes.AsSpan(0, cut), out _, out _, out _));
                }
            },
            iter: 3_000);

    [Fact]
    public void Mutated_hellos_never_throw_and_pass_on_only_names_of_the_dns_alphabet() => Check(Mutated, 20_000);

    [Fact]
    public void Random_bytes_never_throw_and_pass_on_only_names_of_the_dns_alphabet() => Check(Random, 20_000);

    private static void Check(Gen<byte[]> gen, int iterations) =>
        gen.Sample(
            bytes =>
            {
                var status = ClientHello.TryRead(bytes, out var name, out var length, out var error);
                Assert.Equal(status == ClientHelloStatus.Malformed, error is not null);
                if (status == ClientHelloStatus.Complete)
                {
                    Assert.InRange(length, 6, bytes.Length);
                    Assert.True(name is null || name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'), name);

                    // Bytes after the records are the client's next ones: they never change the verdict.
                    Assert.Equal(status, ClientHello.TryRead([.. bytes.AsSpan(0, length), .. Encoding.ASCII.GetBytes("x")], out var again, out _, out _));
                    Assert.Equal(name, again);
                }
                else
                {
                    Assert.Null(name);
                    Assert.Equal(0, length);
                }
            },
            iter: iterations);
}
