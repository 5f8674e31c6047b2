using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Proxy.Hardening;

/// <summary>
/// One OneHop routing every host and path to one <see cref="RawPod"/> that answers 200 and records what it receives:
/// shared by a test class whose cases each use their own path, so that what the pod saw is told apart per case.
/// </summary>
public sealed class RecordingEdge : IAsyncLifetime
{
    private RawPod? _pod;
    private OneHopInstance? _onehop;

    internal RawPod Pod => _pod ?? throw new InvalidOperationException("not started");

    internal OneHopInstance OneHop => _onehop ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        _pod = RawPod.Start(PodAnswer.Ok);
        _onehop = await OneHopInstance.StartAsync(new Dictionary<string, string> { ["app.yaml"] = _pod.Manifests("app") }, TestTimeouts.Token());
    }

    /// <summary>The requests the pod received whose request line or headers contain <paramref name="marker"/>.</summary>
    internal IReadOnlyList<string> Received(string marker) =>
        [.. Pod.Requests.Where(r => r.Contains(marker, StringComparison.Ordinal))];

    /// <summary>Sends raw bytes on a new connection and reads until OneHop closes it.</summary>
    internal async Task<string> ExchangeAsync(byte[] request, CancellationToken cancellationToken)
    {
        using var connection = await RawConnection.OpenAsync(OneHop.Port("http"), null, cancellationToken);
        await connection.SendAsync(request, cancellationToken);
        return await connection.ReadToCloseAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_onehop is not null)
        {
            await _onehop.DisposeAsync();
        }

        if (_pod is not null)
        {
            await _pod.DisposeAsync();
        }
    }
}
