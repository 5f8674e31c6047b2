using System.Diagnostics;

namespace OneHop.IntegrationTests.Support;

/// <summary>Runs iproute2's <c>ip</c> for the tests' own network namespaces (root only).</summary>
internal static class IpCommand
{
    public static bool Available =>
        Environment.UserName == "root" && (File.Exists("/usr/sbin/ip") || File.Exists("/sbin/ip"));

    public static string Run(params string[] args)
    {
        var (code, output) = TryRun(args);
        return code == 0 ? output : throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {output}");
    }

    public static (int Code, string Output) TryRun(params string[] args)
    {
        var start = new ProcessStartInfo("ip", args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
