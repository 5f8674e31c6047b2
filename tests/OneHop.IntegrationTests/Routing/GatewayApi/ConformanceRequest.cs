using System.Net.Http.Json;

namespace OneHop.IntegrationTests.Routing.GatewayApi;

/// <summary>
/// A request of a conformance case (the suite's http.Request): method, Host, path with query, and headers written
/// <c>Name: value</c>; <paramref name="EchoSetHeaders"/> asks the pod for response headers (the suite's
/// BackendSetResponseHeaders).
/// </summary>
internal sealed record ConformanceRequest(string Path, string? Host = null, string Method = "GET", string[]? Headers = null, string[]? EchoSetHeaders = null)
{
    public async Task<GatewayResponse> SendAsync(HttpClient client, string address, int port, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(Method), new Uri($"http://{address}:{port}{Path}"));
        if (Host is not null)
        {
            request.Headers.Host = Host;
        }

        foreach (var (name, value) in (Headers ?? []).Select(NameAndValue))
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"cannot send header {name}");
        }

        if (EchoSetHeaders is { Length: > 0 } set)
        {
            request.Headers.TryAddWithoutValidation(EchoPod.SetHeader, string.Join(',', set));
        }

        using var response = await client.SendAsync(request, cancellationToken);
        var headers = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(',', g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        var echo = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync<EchoedRequest>(EchoedRequest.Json, cancellationToken)
            : null;
        return new GatewayResponse((int)response.StatusCode, echo, headers, response.Headers.Location);
    }

    /// <summary>A header written <c>Name: value</c>.</summary>
    public static (string Name, string Value) NameAndValue(string header) => (header.Split(':', 2)[0], header.Split(':', 2)[1].Trim());

    public override string ToString() =>
        $"{Method} {Host ?? "(gateway address)"}{Path}{(Headers is { Length: > 0 } h ? $" [{string.Join("; ", h)}]" : string.Empty)}";
}
