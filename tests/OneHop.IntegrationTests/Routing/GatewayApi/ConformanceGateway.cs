using Microsoft.Extensions.Logging.Abstractions;
using OneHop.Core.Configuration;
using OneHop.Core.Routing;
using OneHop.Core.Routing.GatewayApi;
using OneHop.Core.Sources.Manifests;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// One conformance test's cluster behind a real OneHop, shared by the test class: OneHop's GatewayClass, the suite's
/// base Gateways and backend Services, the <see cref="EchoBackends"/>' EndpointSlices, and the test's own manifest
/// from <c>Conformance/</c>. A Gateway listener serves on OneHop's HTTP listener of the same port, so OneHop listens on
/// a loopback address of its own at each port the test's Gateways use (80 unless told otherwise).
/// </summary>
public abstract class ConformanceGateway(EchoBackends backends, string manifest, params int[] ports) : IAsyncLifetime
{
    private static readonly string DataDirectory = Path.Combine(AppContext.BaseDirectory, "Routing", "GatewayApi", "Conformance");

    private OneHopInstance? _onehop;

    /// <summary>The address OneHop's listeners are on; the Gateways' address, as the suite's GatewayRef gives it.</summary>
    internal string Address { get; } = LoopbackAddresses.Next();

    internal EchoBackends Backends => backends;

    internal OneHopInstance OneHop => _onehop ?? throw new InvalidOperationException("not started");

    /// <summary>The test's manifest file, as copied from the suite.</summary>
    internal string Manifest => manifest;

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestTimeouts.Token();
        var files = new Dictionary<string, string>
        {
            ["gatewayclass.yaml"] = Data("gatewayclass.yaml"),
            ["base.yaml"] = BaseManifests(Data("base.yaml")),
            ["slices.yaml"] = await backends.SlicesAsync(cancellationToken),
            [manifest] = Data(manifest),
        };
        foreach (var (name, content) in await MoreFilesAsync(cancellationToken))
        {
            files[name] = content;
        }

        var listeners = (ports.Length == 0 ? [80] : ports).Select(p => ListenAddress.Parse($"{Address}:{p}")).ToArray();

        // Redirects are what some cases check, not something to follow; cookies play no part.
        _onehop = await OneHopInstance.StartAsync(
            files,
            cancellationToken,
            handler: new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false },
            configure: o => OnGatewayAddress ? o with { GatewayAddresses = [.. new[] { Address }.Concat(MoreAddresses).Select(System.Net.IPAddress.Parse)] } : o with { Http = [.. listeners] });
    }

    /// <summary>True to serve the Gateways' ports on <c>--gateway-address</c>, bound as the Gateways ask, instead of on OneHop's own HTTP listeners.</summary>
    protected virtual bool OnGatewayAddress => false;

    /// <summary>More <c>--gateway-address</c>es beside <see cref="Address"/>, with <see cref="OnGatewayAddress"/>: Gateways' own addresses.</summary>
    protected virtual IReadOnlyList<string> MoreAddresses => [];

    /// <summary>The suite's base manifests as this test serves them (as copied, unless a test gives its Gateways addresses).</summary>
    protected virtual string BaseManifests(string yaml) => yaml;

    /// <summary>Manifests beside the base and the test's own: more backends.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> MoreFilesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>Stops what <see cref="MoreFilesAsync"/> started.</summary>
    protected virtual ValueTask DisposeMoreAsync() => ValueTask.CompletedTask;

    /// <summary>A manifest from <c>Conformance/</c>, as the test run has it.</summary>
    internal static string Data(string name) => File.ReadAllText(Path.Combine(DataDirectory, name));

    /// <summary>
    /// Sends <paramref name="request"/> to the listener on <paramref name="port"/> of <paramref name="address"/> (the
    /// Gateways' <see cref="Address"/> unless given), as the suite's round tripper does.
    /// </summary>
    internal Task<GatewayResponse> SendAsync(ConformanceRequest request, CancellationToken cancellationToken, int port = 80, string? address = null) =>
        request.SendAsync(OneHop.Proxy, address ?? Address, port, cancellationToken);

    /// <summary>What OneHop concludes about the Gateway API objects of the manifest directory it serves.</summary>
    /// <remarks>The admin API does not show Gateway API status yet: this is the translator's, on the same files.</remarks>
    internal GatewayApiStatus Status()
    {
        var source = new ManifestDirectorySource(Path.Combine(OneHop.Directory, "manifests"), new ManifestSourceOptions(), TimeProvider.System, NullLogger<ManifestDirectorySource>.Instance);
        source.Rescan();
        return Translator.Translate(TranslatorInput.Of(source.Current.State)).GatewayStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_onehop is not null)
        {
            await _onehop.DisposeAsync();
        }

        await DisposeMoreAsync();
        GC.SuppressFinalize(this);
    }
}
