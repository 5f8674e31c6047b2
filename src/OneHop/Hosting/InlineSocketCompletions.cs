namespace OneHop.Hosting;

/// <summary>
/// .NET hands every socket completion to the thread pool unless <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS</c> is
/// 1, and reads that once, from the process's environment, when the first socket is used: there is no API for it.
/// <c>run --inline-io</c> (the default) sets it before any socket exists, so that the relays and the lean forwarder's
/// pod sockets go on in the socket engine's threads without a hop per read (bench/PROFILE.md, "Inline I/O"). A value
/// the operator put in the environment wins either way.
/// </summary>
internal static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Sets the variable for <c>--inline-io</c> unless it is set; true when completions will run inline.</summary>
    public static bool Apply(bool inlineIo) =>
        Apply(inlineIo, Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    public static bool Apply(bool inlineIo, Func<string, string?> read, Action<string, string> write)
    {
        if (read(Variable) is null && inlineIo)
        {
            write(Variable, "1");
        }

        return read(Variable) == "1";
    }
}
