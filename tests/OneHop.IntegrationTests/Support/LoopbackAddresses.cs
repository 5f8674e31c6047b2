namespace OneHop.IntegrationTests.Support;

/// <summary>
/// Hands out distinct loopback addresses (127.77.x.y) so every test's "pods" have their own IPs, as real pods do,
/// and parallel tests never collide. On Linux every 127.0.0.0/8 address answers without set-up.
/// </summary>
internal static class LoopbackAddresses
{
    private static int _next;

    public static string Next()
    {
        var n = Interlocked.Increment(ref _next);
        return $"127.77.{n / 250}.{(n % 250) + 1}";
    }
}
