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
        .AddFilter("Microsoft", LogLevel.Warning)

        // ASP.NET Core starts an Activity for every request whenever its hosting logger is enabled at any level (for
        // log scopes), and YARP then writes a traceparent of its own to every upstream request: measurable per-request
        // work for request-start/stop logs OneHop never emits. A client's own traceparent still passes through.
        .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)

        // The host logs a start-up failure (a port already in use) with its whole stack trace; `onehop run` reports
        // it in one line instead (RunCommand).
        .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
}
