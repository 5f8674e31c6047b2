using System.Diagnostics;

namespace Propagation;

/// <summary>
/// The background load: EndpointSlice changes at a steady average rate on a thread of its own, Poisson arrivals by
/// default (independent pods changing independently), or evenly spaced. A writer that falls behind catches up
/// at once, but never more than a second's worth, so the achieved rate is what the API server could take.
/// </summary>
internal sealed class ChurnWriter(BenchCluster cluster, BenchOptions options)
{
    private volatile bool _stopping;
    private Thread? _thread;
    private long _writes;

    public long Writes => Interlocked.Read(ref _writes);

    public void Start()
    {
        _thread = new Thread(Run) { Name = "churn", IsBackground = true };
        _thread.Start();
    }

    /// <summary>Stops the writer and waits for its last write (a no-op the second time).</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        _thread = null;
    }

    private void Run()
    {
        var random = new Random(42);
        var meanTicks = Stopwatch.Frequency / options.ChurnRate;
        var due = (double)Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            due += options.PoissonArrivals ? -Math.Log(1 - random.NextDouble()) * meanTicks : meanTicks;
            var now = Stopwatch.GetTimestamp();
            if (now - due > Stopwatch.Frequency)
            {
                due = now;
            }

            var wait = (due - now) / Stopwatch.Frequency;
            if (wait > 0)
            {
                // Sleep's granularity (about 1 ms on Linux) only jitters single arrivals; the rate stays right.
                Thread.Sleep(TimeSpan.FromSeconds(wait));
            }

            if (!_stopping)
            {
                cluster.Churn(random);
                Interlocked.Increment(ref _writes);
            }
        }
    }
}
