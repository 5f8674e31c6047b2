using k8s;
using Microsoft.Extensions.Time.Testing;

namespace KubeApiTestServer.Tests.Support;

/// <summary>Starts a private server per test (port 0, so tests run in parallel) and a client for it.</summary>
internal static class TestServer
{
    /// <summary>A fixed start instant for servers on a <see cref="FakeTimeProvider"/>.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static Task<KubeApiServer> StartAsync(TimeProvider? time = null, string? token = null, int historyCapacity = 10_000) =>
        KubeApiServer.StartNewAsync(
            new KubeApiServerOptions
            {
                TimeProvider = time ?? TimeProvider.System,
                BearerToken = token,
                HistoryCapacity = historyCapacity,
            },
            TestTimeouts.Token());

    public static FakeTimeProvider FakeTime() => new(Epoch);

    public static Kubernetes Client(KubeApiServer server) => server.CreateClient();
}
