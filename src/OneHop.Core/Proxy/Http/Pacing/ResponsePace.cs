using OneHop.Core.Routing;

namespace OneHop.Core.Proxy.Http.Pacing;

/// <summary>
/// nginx's pacing of an answer (<c>ngx_http_write_filter</c>): by a time t after the request began, at most
/// <c>limit_rate_after + limit_rate × (t + 1 s)</c> body bytes may have gone — nginx's one second of head start
/// included, so that a short answer is not held at all. Continuous where nginx counts whole seconds, so the bytes leave
/// in small even slices instead of one burst a second.
/// </summary>
internal sealed class ResponsePace
{
    private RouteResponseRate _rate = null!;
    private TimeProvider _time = null!;
    private long _started;
    private long _sent;

    /// <summary>The most bytes sent in one go once the pace holds them back: a tenth of a second's worth, at most 64 KiB.</summary>
    public int Slice { get; private set; }

    /// <summary>Starts counting an answer from now.</summary>
    public void Start(RouteResponseRate rate, TimeProvider time)
    {
        (_rate, _time, _started, _sent) = (rate, time, time.GetTimestamp(), 0);
        Slice = (int)Math.Clamp(rate.BytesPerSecond / 10, 1, 64 * 1024);
    }

    /// <summary>How many bytes may go now.</summary>
    public long Allowance() => Math.Max(0, Allowed(_time.GetElapsedTime(_started).TotalSeconds) - _sent);

    /// <summary>How long until <paramref name="bytes"/> more may go (at least a millisecond, as nginx's timer adds one).</summary>
    public TimeSpan WaitFor(long bytes)
    {
        var due = (double)(_sent + bytes - _rate.FreeBytes) / _rate.BytesPerSecond - 1;
        var wait = due - _time.GetElapsedTime(_started).TotalSeconds;
        return TimeSpan.FromSeconds(Math.Max(wait, 0.001));
    }

    /// <summary>Counts <paramref name="bytes"/> as gone.</summary>
    public void Sent(long bytes) => _sent += bytes;

    private long Allowed(double seconds) => _rate.FreeBytes + (long)(_rate.BytesPerSecond * (seconds + 1));
}
