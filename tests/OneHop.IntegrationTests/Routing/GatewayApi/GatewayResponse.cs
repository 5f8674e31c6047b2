namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>What came back through OneHop: status, response headers (values joined by commas), the pod's echo, a redirect's Location.</summary>
internal sealed record GatewayResponse(int Status, EchoedRequest? Echo, IReadOnlyDictionary<string, string> Headers, Uri? Location)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Status} from {Echo?.Pod ?? "OneHop"}{(Location is null ? string.Empty : $" to {Location}")}";
}
