namespace OneHop.Core.Proxy.Epoll;

/// <summary>Who waits on a <see cref="Readiness"/>: told once, either of the edge or of the wait's cancellation.</summary>
internal interface IReadinessWaiter
{
    void OnEdge();

    void OnCanceled(CancellationToken token);
}
