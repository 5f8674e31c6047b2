using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace KubeApiTestServer.Tests.Support;

/// <summary>Plain HttpClient access for the cases KubernetesClient cannot express.</summary>
internal static class RawHttp
{
    public static HttpClient Client(KubeApiServer server, string? token = null)
    {
        var client = new HttpClient { BaseAddress = server.BaseUri, Timeout = TestTimeouts.Default };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<(int Code, JsonElement Body)> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, TestTimeouts.Token());
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public static async Task<(int Code, JsonElement Body)> SendJsonAsync(HttpClient client, HttpMethod method, string url, string json, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.SendAsync(request, TestTimeouts.Token());
        var text = await response.Content.ReadAsStringAsync(TestTimeouts.Token());
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Opens a watch and returns the response once its headers arrive, before any event.</summary>
    public static async Task<HttpResponseMessage> OpenStreamAsync(HttpClient client, string url, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        return response;
    }

    /// <summary>Reads the whole body of a finished stream as lines.</summary>
    public static async Task<List<string>> ReadLinesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return text.Split('\n').Where(l => l.Length > 0).ToList();
    }
}
