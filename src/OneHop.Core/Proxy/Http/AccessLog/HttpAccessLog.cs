using OneHop.Core.Telemetry.AccessLog;

namespace OneHop.Core.Proxy.Http.AccessLog;

/// <summary>The access log as the HTTP data plane sees it: on with a writer, or off (<see cref="Off"/>), when no request does any of its work.</summary>
internal sealed class HttpAccessLog(AccessLogWriter? writer)
{
    public static readonly HttpAccessLog Off = new(null);

    public AccessLogWriter? Writer => writer;

    public bool Enabled { get; } = writer is not null;
}
