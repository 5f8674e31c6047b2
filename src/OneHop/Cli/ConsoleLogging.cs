using Microsoft.Extensions.Logging;

namespace OneHop.Cli;

/// <summary>One-line console logs: OneHop's own at the chosen level, the frameworks' only when something is wrong.</summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel level) => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        })
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("OneHop", level)
        .AddFilter("Yarp", LogLevel.Warning)
        .AddFilter("Microsoft", LogLevel.Warning));
}
