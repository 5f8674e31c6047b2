using System.CommandLine;
using OneHop.Cli;

var root = new RootCommand("OneHop: a pod-aware edge load balancer for Kubernetes. Every request goes straight to a ready pod.")
{
    RunCommand.Create(),
    DemoCommand.Create(),
    ValidateCommand.Create(),
};

var invocation = new InvocationConfiguration
{
    // Ctrl+C and SIGTERM cancel the command; in-flight requests then get the server's shutdown timeout to finish.
    ProcessTerminationTimeout = TimeSpan.FromSeconds(15),
};
return await root.Parse(args).InvokeAsync(invocation);
