using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Health;

/// <summary>
/// One backend's retry budget over a sliding 10-second window (Linkerd's design): retries may add at most
/// <see cref="RetryPolicy.BudgetPercent"/> of the requests, plus <see cref="RetryPolicy.MinRetriesPerSecond"/> so
/// that a quiet backend can still retry. Under a full outage retries stop quickly instead of multiplying the load.
/// Counting a request is two interlocked operations; the window's buckets are reset lazily.
/// </summary>
internal sealed class RetryBudget(TimeProvider time)
{
    private const int Seconds = 10;
    private readonly long[] _second = new long[Seconds];
    private readonly long[] _requests = new long[Seconds];
    private readonly long[] _retries = new long[Seconds];
    private readonly Lock _resetLock = new();

    public void RecordRequest() => Interlocked.Increment(ref _requests[Bucket()]);

    /// <summary>Whether a retry would fit, without spending it.</summary>
    public bool HasRoom(RetryPolicy policy) => Spent() + 1 <= Allowed(policy);

    /// <summary>Spends one retry if it fits.</summary>
    public bool TryRetry(RetryPolicy policy)
    {
        if (!HasRoom(policy))
        {
            return false;
        }

        Interlocked.Increment(ref _retries[Bucket()]);
        return true;
    }

    private double Allowed(RetryPolicy policy)
    {
        var now = Now();
        long requests = 0;
        for (var i = 0; i < Seconds; i++)
        {
            requests += now - Volatile.Read(ref _second[i]) < Seconds ? Volatile.Read(ref _requests[i]) : 0;
        }

        return (policy.MinRetriesPerSecond * (double)Seconds) + (requests * policy.BudgetPercent / 100.0);
    }

    private long Spent()
    {
        var now = Now();
        long retries = 0;
        for (var i = 0; i < Seconds; i++)
        {
            retries += now - Volatile.Read(ref _second[i]) < Seconds ? Volatile.Read(ref _retries[i]) : 0;
        }

        return retries;
    }

    private int Bucket()
    {
        var now = Now();
        var index = (int)(now % Seconds);
        if (Volatile.Read(ref _second[index]) != now)
        {
            lock (_resetLock)
            {
                if (_second[index] != now)
                {
                    Volatile.Write(ref _requests[index], 0);
                    Volatile.Write(ref _retries[index], 0);
                    Volatile.Write(ref _second[index], now);
                }
            }
        }

        return index;
    }

    private long Now() => time.GetUtcNow().ToUnixTimeSeconds();
}
