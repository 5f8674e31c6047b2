using System.Diagnostics;
using OneHop.Core.Proxy.Http.Tracing;

namespace OneHop.Core.Tests.Proxy.Http.Tracing;

/// <summary><see cref="UnsampledParent"/> against .NET's own W3C parser: it never calls unsampled what the parser calls sampled or invalid.</summary>
public sealed class UnsampledParentTests
{
    private const string Unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    [Theory]
    [InlineData(Unsampled, true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-02", true)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03", false)]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-00", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-00", false)]
    [InlineData("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-00", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331-00", false)]
    [InlineData("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-", false)]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0", false)]
    [InlineData("", false)]
    public void Tells_a_well_formed_unsampled_parent(string traceParent, bool unsampled)
    {
        Assert.Equal(unsampled, UnsampledParent.Is(traceParent));
        if (unsampled)
        {
            Assert.True(ActivityContext.TryParse(traceParent, null, out var parsed));
            Assert.Equal(ActivityTraceFlags.None, parsed.TraceFlags & ActivityTraceFlags.Recorded);
            Assert.Equal(parsed.TraceId.ToHexString(), UnsampledParent.TraceId(traceParent));
        }
    }

    [Fact]
    public void Agrees_with_the_library_parser_on_every_single_character_change()
    {
        // Every position set to every character that matters: what this calls unsampled, the parser parses, unsampled.
        const string alphabet = "0123456789abcdefABCDEFgz-_ ";
        var accepted = 0;
        for (var i = 0; i < Unsampled.Length; i++)
        {
            foreach (var c in alphabet)
            {
                var value = string.Concat(Unsampled.AsSpan(0, i), [c], Unsampled.AsSpan(i + 1));
                if (!UnsampledParent.Is(value))
                {
                    continue;
                }

                accepted++;
                Assert.True(ActivityContext.TryParse(value, null, out var parsed), value);
                Assert.False(parsed.TraceFlags.HasFlag(ActivityTraceFlags.Recorded), value);
            }
        }

        // The ids' 48 positions take any of 16 digits, the flags' first digit any of 16 and their second the 8 even ones;
        // the version's two digits and the three dashes only themselves.
        Assert.Equal((48 * 16) + 16 + 8 + 5, accepted);
    }
}
