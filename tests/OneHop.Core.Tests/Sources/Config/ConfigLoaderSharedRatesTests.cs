using OneHop.Core.Configuration;
using OneHop.Core.Sources.Config;

namespace OneHop.Core.Tests.Sources.Config;

/// <summary><c>limits.sharedRates</c>: the Redis server the replicas count the routes' rates in, and how often.</summary>
public sealed class ConfigLoaderSharedRatesTests
{
    [Fact]
    public void The_server_interval_and_prefix_are_read_with_their_defaults()
    {
        var full = ConfigLoader.Parse("onehop.yaml", "limits:\n  sharedRates: {redis: \"redis.onehop:6380,password=s3cret,ssl=true\", syncInterval: 250ms, keyPrefix: edge}\n");
        var plain = ConfigLoader.Parse("onehop.yaml", "limits:\n  sharedRates: {redis: 10.0.0.5:6379}\n");

        Assert.Empty(full.Diagnostics);
        Assert.Equal(new SharedRatesConfig("redis.onehop:6380,password=s3cret,ssl=true", TimeSpan.FromMilliseconds(250), "edge"), full.Config!.Limits.SharedRates);
        Assert.Equal("redis.onehop:6380,ssl=true every 250 ms", full.Config.Limits.SharedRates!.ToString()); // no password in logs
        Assert.Equal(new SharedRatesConfig("10.0.0.5:6379", SharedRatesConfig.DefaultSyncInterval, SharedRatesConfig.DefaultKeyPrefix), plain.Config!.Limits.SharedRates);
        Assert.Null(ConfigLoader.Parse("onehop.yaml", "limits: {}\n").Config!.Limits.SharedRates);
    }

    [Fact]
    public void A_password_file_is_found_beside_the_config_and_must_hold_a_password()
    {
        var directory = Directory.CreateTempSubdirectory("onehop-shared-rates-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "redis-password"), "s3cret\n");
            File.WriteAllText(Path.Combine(directory.FullName, "empty"), "\n");
            var config = Path.Combine(directory.FullName, "onehop.yaml");

            var read = ConfigLoader.Parse(config, "limits:\n  sharedRates: {redis: \"host:6379\", passwordFile: redis-password}\n");
            var empty = ConfigLoader.Parse(config, "limits:\n  sharedRates: {redis: \"host:6379\", passwordFile: empty}\n");
            var missing = ConfigLoader.Parse(config, "limits:\n  sharedRates: {redis: \"host:6379\", passwordFile: nowhere}\n");

            Assert.Equal(Path.Combine(directory.FullName, "redis-password"), read.Config!.Limits.SharedRates!.PasswordFile);
            Assert.Equal(("limits.sharedRates.passwordFile", $"{Path.Combine(directory.FullName, "empty")} is empty"), (Assert.Single(empty.Diagnostics).Field, empty.Diagnostics[0].Message));
            Assert.StartsWith("cannot read: ", Assert.Single(missing.Diagnostics, d => d.Field == "limits.sharedRates.passwordFile").Message);
            Assert.Null(missing.Config);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{syncInterval: 100ms}", "limits.sharedRates.redis", "is required: the Redis server the replicas count in (host:port)")]
    [InlineData("{redis: \"\"}", "limits.sharedRates.redis", "is required: the Redis server the replicas count in (host:port)")]
    [InlineData("{redis: \"ssl=true\"}", "limits.sharedRates.redis", "names no Redis server (host:port)")]
    [InlineData("{redis: \"host:6379,connectTimeout=soon\"}", "limits.sharedRates.redis", null)]
    [InlineData("{redis: \"host:6379\", syncInterval: 1ms}", "limits.sharedRates.syncInterval", "must be from 10ms to 10s")]
    [InlineData("{redis: \"host:6379\", syncInterval: 1m}", "limits.sharedRates.syncInterval", "must be from 10ms to 10s")]
    [InlineData("{redis: \"host:6379\", syncInterval: often}", "limits.sharedRates.syncInterval", null)]
    [InlineData("{redis: \"host:6379\", keyPrefix: \"two words\"}", "limits.sharedRates.keyPrefix", "must be a word without spaces")]
    [InlineData("{redis: \"host:6379\", keyPrefix: \"\"}", "limits.sharedRates.keyPrefix", "must be a word without spaces")]
    [InlineData("{redis: \"host:6379\", syncInterval: -1s}", "limits.sharedRates.syncInterval", null)]
    public void A_bad_value_is_an_error_naming_its_field(string value, string field, string? message)
    {
        var result = ConfigLoader.Parse("onehop.yaml", $"limits:\n  sharedRates: {value}\n");

        Assert.Null(result.Config);
        var error = Assert.Single(result.Diagnostics, d => d.Field == field);
        if (message is not null)
        {
            Assert.Equal(message, error.Message);
        }
        else
        {
            Assert.NotEmpty(error.Message);
        }
    }
}
