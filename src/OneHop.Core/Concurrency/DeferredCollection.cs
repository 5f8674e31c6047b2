namespace OneHop.Core.Concurrency;

/// <summary>
/// Hands memory back to the system some seconds after a large change of input (a big manifest read, replaced or
/// removed). By then the next snapshot has been built and applied, so the old objects and the parser's garbage are
/// unreachable; without this the GC keeps that memory mapped until allocation pressure happens to return it. One
/// blocking full collection per burst of large changes: rare, and far from the request path's steady state.
/// </summary>
internal sealed class DeferredCollection(TimeProvider time, TimeSpan delay)
{
    private int _pending;

    /// <summary>Runs one aggressive, compacting collection after the delay, unless one is already waiting.</summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            await Task.Delay(delay, time).ConfigureAwait(false);
            Volatile.Write(ref _pending, 0);
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        });
    }
}
