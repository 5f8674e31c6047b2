using OneHop.Core.Configuration.Policies;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>concurrency</c> under <c>defaults</c> and an upstream: the per-endpoint cap and its queue.</summary>
public sealed class ConfigLoaderConcurrencyTests
{
    [Fact]
    public void Defaults_and_an_upstream_read_the_cap_and_its_queue()
    {
        var result = ConfigLoader.Parse("onehop.yaml", """
            defaults:
              concurrency: {maxPerEndpoint: 100}
            upstreams:
              - name: iis
                concurrency: {maxPerEndpoint: 8, queueSize: 0, queueTimeout: 250ms}
                endpoints: [{address: 10.0.0.1:80}]
            """);

        Assert.Empty(result.Diagnostics);
        var config = result.Config!;
        Assert.Equal(new ConcurrencyLimit { MaxPerEndpoint = 100 }, config.Defaults.Policy.Concurrency);
        Assert.Equal(new ConcurrencyLimit { MaxPerEndpoint = 8, QueueSize = 0, QueueTimeout = TimeSpan.FromMilliseconds(250) }, config.Upstreams[0].Policy.Concurrency);
    }

    [Fact]
    public void Without_it_nothing_is_capped() =>
        Assert.Equal(0, ConfigLoader.Parse("onehop.yaml", "defaults: {}\n").Config!.Defaults.Policy.MaxPerEndpoint);

    [Theory]
    [InlineData("maxPerEndpoint: -1", "defaults.concurrency.maxPerEndpoint", "'-1' is not a whole number from 0 to 1000000")]
    [InlineData("maxPerEndpoint: lots", "defaults.concurrency.maxPerEndpoint", "'lots' is not a whole number from 0 to 1000000")]
    [InlineData("queueSize: 1e9", "defaults.concurrency.queueSize", "'1e9' is not a whole number from 0 to 1000000")]
    [InlineData("queueTimeout: 0s", "defaults.concurrency.queueTimeout", "'0s' is not a positive duration such as 250ms, 5s or 2m (at most 576h)")]
    public void A_bad_value_is_an_error_naming_its_field(string field, string path, string message)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"defaults:\n  concurrency: {{{field}}}\n");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal((path, message), (error.Field, error.Message));
    }
}
