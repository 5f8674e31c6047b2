using System.CommandLine;
using System.CommandLine.Invocation;

namespace OneHop.Cli;

/// <summary>The command line: <c>run</c>, <c>demo</c>, <c>validate</c>, <c>routes</c>, <c>status</c>. Built here so tests invoke exactly what users do.</summary>
internal static class OneHopCli
{
    public static RootCommand Create() => new("OneHop: a pod-aware edge load balancer for Kubernetes. Every request goes straight to a ready pod.")
    {
        RunCommand.Create(),
        DemoCommand.Create(),
        ValidateCommand.Create(),
        RoutesCommand.Create(),
        PodCommand.Create(),
        StatusCommand.Create(),
        MigrateCommand.Create(),
    };

    public static Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var parsed = Create().Parse(args);
        if (parsed.Action is ParseErrorAction parseError)
        {
            // A mistake on the command line is one line naming it, like every other error; --help shows the options.
            parseError.ShowHelp = false;
        }

        var invocation = new InvocationConfiguration
        {
            // Ctrl+C and SIGTERM cancel the command; a drain (run --drain-delay) comes first, then in-flight requests
            // get the server's shutdown timeout to finish.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15) + DrainDelay(parsed),
        };
        if (output is not null)
        {
            invocation.Output = output;
        }

        if (error is not null)
        {
            invocation.Error = error;
        }

        return parsed.InvokeAsync(invocation);
    }

    private static TimeSpan DrainDelay(ParseResult parsed) =>
        parsed.CommandResult.Command.Options.FirstOrDefault(o => o.Name == "--drain-delay") is Option<string?> option
        && RunCommand.TryParseDrainDelay(parsed.GetValue(option), out var delay)
            ? delay
            : TimeSpan.Zero;
}
