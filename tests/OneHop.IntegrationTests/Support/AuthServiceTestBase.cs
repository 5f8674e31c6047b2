using OneHop.Core.Proxy.Http;

namespace OneHop.IntegrationTests.Support;

/// <summary>An <see cref="ExternalAuthorizer"/> on the given clock in front of a real <see cref="AuthService"/>, started for each test and stopped after it.</summary>
public abstract class AuthServiceTestBase(TimeProvider time) : IAsyncLifetime
{
    private AuthService? _service;

    internal ExternalAuthorizer Authorizer { get; } = new(time);

    internal AuthService Service => _service ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _service = await AuthService.StartAsync(TestTimeouts.Token());

    public async ValueTask DisposeAsync()
    {
        Authorizer.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
