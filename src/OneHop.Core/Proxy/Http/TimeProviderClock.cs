using Microsoft.Extensions.Internal;

namespace OneHop.Core.Proxy.Http;

/// <summary>MemoryCache's clock from a <see cref="TimeProvider"/>, so that expiry follows the data plane's time (and a test's).</summary>
internal sealed class TimeProviderClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
