using OneHop.Core.Configuration;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>defaults.reach</c>: how Services without <c>onehop.dev/reach</c> are reached.</summary>
public sealed class ConfigLoaderReachTests
{
    [Theory]
    [InlineData("pods", "Pods")]
    [InlineData("nodeports", "NodePorts")]
    [InlineData("auto", "Auto")]
    public void Each_mode_is_read(string text, string mode)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"defaults:\n  reach: {text}\n");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(mode, result.Config!.Defaults.Reach.ToString());
    }

    [Fact]
    public void Without_it_pods_are_reached_directly() =>
        Assert.Equal(ReachMode.Pods, ConfigLoader.Parse("onehop.yaml", "defaults: {}\n").Config!.Defaults.Reach);

    [Fact]
    public void Another_value_is_an_error_naming_the_field_and_the_modes()
    {
        var result = ConfigLoader.Parse("onehop.yaml", "defaults:\n  reach: nodes\n");

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal(("defaults.reach", "'nodes' is not pods, nodeports or auto"), (error.Field, error.Message));
    }
}
