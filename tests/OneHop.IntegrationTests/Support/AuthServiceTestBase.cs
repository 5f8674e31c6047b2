using OneHop.Core.Health;
using OneHop.Core.Proxy.Http;

namespace OneHop.IntegrationTests.Support;

/// <summary>An <see cref="ExternalAuthorizer"/> on the given clock in front of a real <see cref="AuthService"/>, started for each test and stopped after it.</summary>
public abstract class AuthServiceTestBase : IAsyncLifetime
{
    private AuthService? _service;

    private protected AuthServiceTestBase(TimeProvider time, ProxyMetrics? metrics = null) => Authorizer = new(time, metrics);

    internal ExternalAuthorizer Authorizer { get; }

    internal AuthService Service => _service ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _service = await AuthService.StartAsync(TestTimeouts.Token());

    public virtual async ValueTask DisposeAsync()
    {
        Authorizer.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
