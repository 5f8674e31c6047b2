namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>Where access log lines go: <c>--access-log stdout|stderr|FILE</c> (off is no target at all).</summary>
internal sealed record AccessLogTarget(string Name)
{
    public const string Stdout = "stdout";
    public const string Stderr = "stderr";

    public bool IsFile => Name is not (Stdout or Stderr);

    /// <summary>Opens the output; a file is appended to and may be renamed or deleted under OneHop (logrotate).</summary>
    public Stream Open() => Name switch
    {
        Stdout => Console.OpenStandardOutput(),
        Stderr => Console.OpenStandardError(),
        _ => new FileStream(Name, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0),
    };

    public override string ToString() => Name;
}
