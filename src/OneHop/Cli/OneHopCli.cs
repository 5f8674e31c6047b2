using System.CommandLine;

namespace OneHop.Cli;

/// <summary>The command line: <c>run</c>, <c>demo</c>, <c>validate</c>. Built here so tests invoke exactly what users do.</summary>
internal static class OneHopCli
{
    public static RootCommand Create() => new("OneHop: a pod-aware edge load balancer for Kubernetes. Every request goes straight to a ready pod.")
    {
        RunCommand.Create(),
        DemoCommand.Create(),
        ValidateCommand.Create(),
        RoutesCommand.Create(),
        PodCommand.Create(),
    };

    public static Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var invocation = new InvocationConfiguration
        {
            // Ctrl+C and SIGTERM cancel the command; in-flight requests then get the server's shutdown timeout to finish.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
        };
        if (output is not null)
        {
            invocation.Output = output;
        }

        if (error is not null)
        {
            invocation.Error = error;
        }

        return Create().Parse(args).InvokeAsync(invocation);
    }
}
