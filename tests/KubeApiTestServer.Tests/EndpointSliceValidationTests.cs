using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 6.1: EndpointSlice addresses in special ranges are refused like a real API server does.</summary>
public sealed class EndpointSliceValidationTests
{
    [Theory]
    [InlineData("IPv4", "127.0.0.9", "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    [InlineData("IPv4", "127.255.0.1", "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    [InlineData("IPv6", "::1", "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    [InlineData("IPv4", "169.254.1.2", "may not be in the link-local range (169.254.0.0/16, fe80::/10)")]
    [InlineData("IPv6", "fe80::1", "may not be in the link-local range (169.254.0.0/16, fe80::/10)")]
    [InlineData("IPv6", "febf::1", "may not be in the link-local range (169.254.0.0/16, fe80::/10)")]
    [InlineData("IPv4", "224.0.0.5", "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")]
    [InlineData("IPv4", "0.0.0.0", "may not be unspecified (0.0.0.0)")]
    [InlineData("IPv4", "10.1.2", "must be a valid IPv4 address")]
    [InlineData("IPv4", "010.1.2.3", "must be a valid IPv4 address")]
    [InlineData("IPv6", "10.1.2.3", "must be a valid IPv6 address")]
    [InlineData("IPv4", "fd00::1", "must be a valid IPv4 address")]
    public async Task Special_addresses_are_422_with_the_real_message(string addressType, string address, string reason)
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var slice = Sample.Slice("web-x", addresses: ["10.0.0.1", address]);
        slice.AddressType = addressType;
        if (addressType == "IPv6")
        {
            slice.Endpoints[0].Addresses[0] = "fd00::1";
        }

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(422, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal($"EndpointSlice.discovery.k8s.io \"web-x\" is invalid: endpoints[1].addresses[0]: Invalid value: \"{address}\": {reason}", status.Message);
        var cause = Assert.Single(status.Details.Causes);
        Assert.Equal(("FieldValueInvalid", "endpoints[1].addresses[0]"), (cause.Reason, cause.Field));
        Assert.Null(server.Get<V1EndpointSlice>("web-x", "prod"));
    }

    [Fact]
    public async Task The_exact_message_from_a_real_api_server_is_reproduced()
    {
        await using var server = await TestServer.StartAsync();

        var error = Assert.Throws<KubeApiException>(() => server.Create(Sample.Slice("web-x", addresses: "127.0.0.9")));

        Assert.Equal(422, error.Code);
        Assert.Equal("EndpointSlice.discovery.k8s.io \"web-x\" is invalid: endpoints[0].addresses[0]: Invalid value: \"127.0.0.9\": may not be in the loopback range (127.0.0.0/8, ::1/128)", error.Message);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Updates_are_validated_too_and_private_addresses_pass()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Sample.Slice("web-a", addresses: ["10.0.0.1", "192.168.1.1", "172.16.0.1"]), "prod", cancellationToken: TestTimeouts.Token());

        created.Endpoints[0].Addresses[0] = "169.254.169.254";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(created, "web-a", "prod", cancellationToken: TestTimeouts.Token()));
        created.Endpoints[0].Addresses[0] = "10.0.0.2";
        created.AddressType = "IPv6";
        var immutable = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.ReplaceNamespacedEndpointSliceAsync(created, "web-a", "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(422, (int)error.Response.StatusCode);
        Assert.Equal(422, (int)immutable.Response.StatusCode);
        Assert.Contains("addressType: Invalid value: \"IPv6\": field is immutable", KubernetesJson.Deserialize<V1Status>(immutable.Response.Content).Message, StringComparison.Ordinal);
        Assert.Equal("10.0.0.1", server.Get<V1EndpointSlice>("web-a", "prod")!.Endpoints[0].Addresses[0]);
    }

    [Fact]
    public async Task Fqdn_slices_are_not_checked_as_ip_addresses()
    {
        await using var server = await TestServer.StartAsync();
        var slice = Sample.Slice("ext", addresses: "example.com");
        slice.AddressType = "FQDN";

        var created = server.Create(slice);

        Assert.Equal("example.com", created.Endpoints[0].Addresses[0]);
        await Task.CompletedTask;
    }
}
