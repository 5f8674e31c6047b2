using Microsoft.Extensions.Logging;
using OneHop.Cli;

namespace OneHop.IntegrationTests.Cli;

public sealed class ConsoleLoggingTests
{
    [Theory]
    [InlineData(LogLevel.Debug)]
    [InlineData(LogLevel.Warning)]
    public void Hosting_diagnostics_are_off_so_requests_do_not_start_activities(LogLevel level)
    {
        using var factory = ConsoleLogging.Create(level);

        // ASP.NET Core's hosting starts an Activity per request when this logger is enabled at any level.
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Warning));
        Assert.Equal(level <= LogLevel.Debug, factory.CreateLogger("OneHop.Core.Control.SnapshotCoordinator").IsEnabled(LogLevel.Debug));
    }
}
