namespace OneHop.IntegrationTests.Support;

/// <summary>One <see cref="PodNamespace"/> with four pods, shared by a test class and created on first use.</summary>
public sealed class PodNamespaceFixture : IAsyncDisposable
{
    public static readonly string[] Pods = ["web-0", "web-1", "web-2", "web-3"];

    private readonly SemaphoreSlim _lock = new(1, 1);
    private PodNamespace? _namespace;

    public async Task<PodNamespace> GetAsync(CancellationToken cancellationToken)
    {
        Assert.SkipUnless(IpCommand.Available, "network-namespace tests need root and iproute2 (apt-get install -y iproute2)");
        await _lock.WaitAsync(cancellationToken);
        try
        {
            return _namespace ??= await PodNamespace.CreateAsync(Pods, cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_namespace is not null)
        {
            await _namespace.DisposeAsync();
        }

        _lock.Dispose();
    }
}
