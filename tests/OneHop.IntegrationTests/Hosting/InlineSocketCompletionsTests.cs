using OneHop.Hosting;

namespace OneHop.IntegrationTests.Hosting;

public sealed class InlineSocketCompletionsTests
{
    [Theory]
    [InlineData(true, null, "1", true)]
    [InlineData(false, null, null, false)]
    [InlineData(true, "0", "0", false)]
    [InlineData(false, "1", "1", true)]
    public void The_environment_wins_and_inline_io_fills_it_in(bool inlineIo, string? before, string? after, bool inline)
    {
        var environment = new Dictionary<string, string>();
        if (before is not null)
        {
            environment[InlineSocketCompletions.Variable] = before;
        }

        var result = InlineSocketCompletions.Apply(inlineIo, environment.GetValueOrDefault, (k, v) => environment[k] = v);

        Assert.Equal(inline, result);
        Assert.Equal(after, environment.GetValueOrDefault(InlineSocketCompletions.Variable));
    }
}
