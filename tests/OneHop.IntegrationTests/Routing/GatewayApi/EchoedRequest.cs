using System.Text.Json;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>What an <see cref="EchoPod"/> received, in the JSON shape of echo-basic's answer (the suite's CapturedRequest).</summary>
/// <param name="Path">The request target as sent: path and query.</param>
internal sealed record EchoedRequest(string Path, string Host, string Method, string Proto, Dictionary<string, string[]> Headers, string Namespace, string Pod)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A header's values joined by commas, as the suite compares them; null when the pod did not get it.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) is { Value: { } values } ? string.Join(',', values) : null;
}
