using OneHop.Core.Balancing;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Tests.Balancing;

public sealed class PickersTests
{
    private readonly Pickers _pickers = new(new BalancingContext(TimeProvider.System, new SeededRandom(1)));

    [Fact]
    public void Every_algorithm_has_its_picker_under_its_own_name()
    {
        Assert.All(BalancingAlgorithms.All, algorithm => Assert.Equal(algorithm, _pickers.For(algorithm).Name));
        Assert.Equal(BalancingAlgorithms.All.Count, BalancingAlgorithms.All.Select(_pickers.For).Distinct().Count());
    }

    [Fact]
    public void An_unknown_name_gets_the_default() => Assert.Equal(BalancingAlgorithms.Default, _pickers.For("fastest").Name);
}
