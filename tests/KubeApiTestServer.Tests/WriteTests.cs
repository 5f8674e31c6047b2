using System.Globalization;
using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using KubeApiTestServer.Tests.Support;

namespace KubeApiTestServer.Tests;

/// <summary>Contract 2 and 5: system fields, status codes and the Status bodies of writes.</summary>
public sealed class WriteTests
{
    [Fact]
    public async Task Create_is_201_and_sets_uid_timestamp_generation_and_resource_version()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        using var client = TestServer.Client(server);

        var response = await client.NetworkingV1.CreateNamespacedIngressWithHttpMessagesAsync(Sample.Ingress("web"), "prod", cancellationToken: TestTimeouts.Token());
        var ingress = response.Body;

        Assert.Equal(HttpStatusCode.Created, response.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(ingress.Metadata.Uid));
        Assert.Equal(TestServer.Epoch.UtcDateTime, ingress.Metadata.CreationTimestamp);
        Assert.Equal(1, ingress.Metadata.Generation);
        Assert.Equal(server.ResourceVersion.ToString(CultureInfo.InvariantCulture), ingress.Metadata.ResourceVersion);
        Assert.Equal("prod", ingress.Metadata.NamespaceProperty);
        Assert.Equal("Ingress", ingress.Kind);
    }

    [Fact]
    public async Task Creation_timestamp_is_rfc3339_without_fraction()
    {
        var time = TestServer.FakeTime();
        time.Advance(TimeSpan.FromMilliseconds(250));
        await using var server = await TestServer.StartAsync(time);
        using var http = RawHttp.Client(server);
        server.Create(Sample.Lease("l"));

        var (_, body) = await RawHttp.GetJsonAsync(http, "/apis/coordination.k8s.io/v1/namespaces/onehop/leases/l");

        Assert.Equal("2026-01-02T03:04:05Z", body.GetProperty("metadata").GetProperty("creationTimestamp").GetString());
        Assert.Equal(1, body.GetProperty("metadata").GetProperty("generation").GetInt32());
        Assert.Null(server.Create(Sample.TlsSecret("no-spec")).Metadata.Generation);
    }

    [Fact]
    public async Task Create_of_an_existing_name_is_409_already_exists()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Slice("web-a"));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(Sample.Slice("web-a"), "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(409, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal(("Failure", "AlreadyExists", 409), (status.Status, status.Reason, status.Code));
        Assert.Equal("endpointslices.discovery.k8s.io \"web-a\" already exists", status.Message);
        Assert.Equal(("web-a", "discovery.k8s.io", "endpointslices"), (status.Details.Name, status.Details.Group, status.Details.Kind));
    }

    [Fact]
    public async Task Get_of_a_missing_object_is_404_with_the_real_status_body()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        using var response = await http.GetAsync("/apis/coordination.k8s.io/v1/namespaces/onehop/leases/x", TestTimeouts.Token());
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"leases.coordination.k8s.io \"x\" not found","reason":"NotFound","details":{"name":"x","group":"coordination.k8s.io","kind":"leases"},"code":404}""",
            body);
    }

    [Fact]
    public async Task Core_group_errors_name_the_bare_resource()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ReadNamespacedServiceAsync("nope", "prod", cancellationToken: TestTimeouts.Token()));

        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("services \"nope\" not found", status.Message);
        Assert.Null(status.Details.Group);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_409_conflict()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var lease = await client.CoordinationV1.CreateNamespacedLeaseAsync(Sample.Lease("lb-leader"), "onehop", cancellationToken: TestTimeouts.Token());
        lease.Spec.HolderIdentity = "lb-1";
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "lb-leader", "onehop", cancellationToken: TestTimeouts.Token());

        lease.Spec.HolderIdentity = "lb-2";
        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, "lb-leader", "onehop", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(409, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Conflict", status.Reason);
        Assert.Equal(
            "Operation cannot be fulfilled on leases.coordination.k8s.io \"lb-leader\": the object has been modified; please apply your changes to the latest version and try again",
            status.Message);
        Assert.Equal("lb-1", server.Get<V1Lease>("lb-leader", "onehop")!.Spec.HolderIdentity);
    }

    [Fact]
    public async Task Lease_replace_without_resource_version_is_422()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Lease("lb-leader"));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoordinationV1.ReplaceNamespacedLeaseAsync(Sample.Lease("lb-leader", holder: "lb-9"), "lb-leader", "onehop", cancellationToken: TestTimeouts.Token()));

        Assert.Equal(422, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Invalid", status.Reason);
        Assert.Equal("Lease.coordination.k8s.io \"lb-leader\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", status.Message);
        Assert.Equal("metadata.resourceVersion", Assert.Single(status.Details.Causes).Field);
    }

    [Fact]
    public async Task Lease_replace_of_a_missing_lease_creates_it_with_201()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        var response = await client.CoordinationV1.ReplaceNamespacedLeaseWithHttpMessagesAsync(
            Sample.Lease("lb-leader"), "lb-leader", "onehop", cancellationToken: TestTimeouts.Token());

        Assert.Equal(HttpStatusCode.Created, response.Response.StatusCode);
        Assert.False(string.IsNullOrEmpty(response.Body.Metadata.Uid));
        Assert.NotNull(server.Get<V1Lease>("lb-leader", "onehop"));
    }

    [Fact]
    public async Task Ingress_allows_unconditional_replace_but_other_kinds_404_when_missing()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Ingress("web"));

        var replaced = await client.NetworkingV1.ReplaceNamespacedIngressAsync(Sample.Ingress("web", host: "b.example.com"), "web", "prod", cancellationToken: TestTimeouts.Token());
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ReplaceNamespacedServiceAsync(Sample.Service("nope"), "nope", "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal("b.example.com", replaced.Spec.Rules[0].Host);
        Assert.Equal(404, (int)missing.Response.StatusCode);
    }

    [Fact]
    public async Task Generation_is_bumped_only_when_spec_changes()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var ingress = await client.NetworkingV1.CreateNamespacedIngressAsync(Sample.Ingress("web"), "prod", cancellationToken: TestTimeouts.Token());

        ingress.Metadata.Labels = new Dictionary<string, string> { ["team"] = "edge" };
        ingress = await client.NetworkingV1.ReplaceNamespacedIngressAsync(ingress, "web", "prod", cancellationToken: TestTimeouts.Token());
        Assert.Equal(1, ingress.Metadata.Generation);

        ingress.Spec.Rules[0].Host = "c.example.com";
        ingress = await client.NetworkingV1.ReplaceNamespacedIngressAsync(ingress, "web", "prod", cancellationToken: TestTimeouts.Token());
        Assert.Equal(2, ingress.Metadata.Generation);

        var slice = server.Create(Sample.Slice("web-a"));
        slice.Metadata.Labels["extra"] = "1";
        Assert.Equal(2, server.Replace(slice).Metadata.Generation);
    }

    [Fact]
    public async Task Uid_and_creation_timestamp_survive_updates()
    {
        var time = TestServer.FakeTime();
        await using var server = await TestServer.StartAsync(time);
        var created = server.Create(Sample.Service("web"));
        time.Advance(TimeSpan.FromHours(1));

        var updated = server.Replace(Sample.Service("web", port: 81));

        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal(created.Metadata.CreationTimestamp, updated.Metadata.CreationTimestamp);
        Assert.Equal(2, updated.Metadata.Generation);
    }

    [Fact]
    public async Task Delete_is_200_with_a_success_status_and_404_when_missing()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Sample.Slice("web-a"));

        var status = await client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync("web-a", "prod", cancellationToken: TestTimeouts.Token());
        var again = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.DiscoveryV1.DeleteNamespacedEndpointSliceAsync("web-a", "prod", cancellationToken: TestTimeouts.Token()));

        Assert.Equal("Success", status.Status);
        Assert.Equal(("web-a", "discovery.k8s.io", "endpointslices", created.Metadata.Uid), (status.Details.Name, status.Details.Group, status.Details.Kind, status.Details.Uid));
        Assert.Equal(404, (int)again.Response.StatusCode);
        Assert.Null(server.Get<V1EndpointSlice>("web-a", "prod"));
    }

    [Fact]
    public async Task Service_delete_returns_the_deleted_object()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Service("web"));

        var deleted = await client.CoreV1.DeleteNamespacedServiceAsync("web", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal("web", deleted.Metadata.Name);
        Assert.Equal(server.ResourceVersion.ToString(CultureInfo.InvariantCulture), deleted.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Delete_preconditions_are_honoured()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var created = server.Create(Sample.Lease("l"));

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoordinationV1.DeleteNamespacedLeaseAsync(
            "l", "onehop", new V1DeleteOptions { Preconditions = new V1Preconditions { ResourceVersion = "1" } }, cancellationToken: TestTimeouts.Token()));
        await client.CoordinationV1.DeleteNamespacedLeaseAsync(
            "l", "onehop", new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = created.Metadata.Uid } }, cancellationToken: TestTimeouts.Token());

        Assert.Equal(409, (int)error.Response.StatusCode);
        Assert.Contains("Precondition failed: ResourceVersion in precondition: 1", error.Response.Content, StringComparison.Ordinal);
        Assert.Null(server.Get<V1Lease>("l", "onehop"));
    }

    [Fact]
    public async Task Bad_names_and_mismatches_are_rejected()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        const string Leases = "/apis/coordination.k8s.io/v1/namespaces/onehop/leases";

        var (invalid, invalidBody) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, Leases, """{"metadata":{"name":"Not_Valid"}}""");
        var (noName, noNameBody) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, Leases, """{"metadata":{}}""");
        var (wrongNs, wrongNsBody) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, Leases, """{"metadata":{"name":"a","namespace":"other"}}""");
        var (wrongKind, _) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, Leases, """{"kind":"Service","apiVersion":"v1","metadata":{"name":"a"}}""");
        var (wrongName, wrongNameBody) = await RawHttp.SendJsonAsync(http, HttpMethod.Put, Leases + "/a", """{"metadata":{"name":"b"}}""");
        var (notJson, _) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, Leases, "{nope");

        Assert.Equal(422, invalid);
        Assert.StartsWith("Lease.coordination.k8s.io \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain", invalidBody.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(422, noName);
        Assert.Equal("Lease.coordination.k8s.io \"\" is invalid: metadata.name: Required value: name or generateName is required", noNameBody.GetProperty("message").GetString());
        Assert.Equal(400, wrongNs);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", wrongNsBody.GetProperty("message").GetString());
        Assert.Equal(400, wrongKind);
        Assert.Equal(400, wrongName);
        Assert.Equal("the name of the object (b) does not match the name on the URL (a)", wrongNameBody.GetProperty("message").GetString());
        Assert.Equal(400, notJson);
    }

    [Fact]
    public async Task Generate_name_gets_a_suffix()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);

        var slice = Sample.Slice("ignored");
        slice.Metadata.Name = null;
        slice.Metadata.GenerateName = "web-";
        var created = await client.DiscoveryV1.CreateNamespacedEndpointSliceAsync(slice, "prod", cancellationToken: TestTimeouts.Token());

        Assert.Matches("^web-[a-z0-9]{5}$", created.Metadata.Name);
    }

    [Fact]
    public async Task Secrets_over_one_mebibyte_are_422()
    {
        await using var server = await TestServer.StartAsync();
        var secret = Sample.TlsSecret("big");
        secret.Data["tls.key"] = new byte[(1024 * 1024) + 1];

        var error = Assert.Throws<KubeApiException>(() => server.Create(secret));

        Assert.Equal(422, error.Code);
        Assert.Equal("Secret \"big\" is invalid: data: Too long: must have at most 1048576 bytes", error.Message);
    }

    [Fact]
    public async Task Secret_string_data_is_merged_into_data_and_never_returned()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        var secret = new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            StringData = new Dictionary<string, string> { ["user"] = "admin" },
            Data = new Dictionary<string, byte[]> { ["other"] = [1, 2] },
        };

        var created = await client.CoreV1.CreateNamespacedSecretAsync(secret, "prod", cancellationToken: TestTimeouts.Token());

        Assert.Null(created.StringData);
        Assert.Equal("admin"u8.ToArray(), created.Data["user"]);
        Assert.Equal([1, 2], created.Data["other"]);
        Assert.Equal("Opaque", created.Type);
    }

    [Fact]
    public async Task Lease_micro_times_are_accepted_with_any_fraction_and_stored_with_six_digits()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);
        const string Body = """{"metadata":{"name":"l"},"spec":{"holderIdentity":"a","acquireTime":"2026-05-01T10:00:00Z","renewTime":"2026-05-01T10:00:06.1234567Z"}}""";

        var (code, body) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, "/apis/coordination.k8s.io/v1/namespaces/onehop/leases", Body);

        Assert.Equal(201, code);
        Assert.Equal("2026-05-01T10:00:00.000000Z", body.GetProperty("spec").GetProperty("acquireTime").GetString());
        Assert.Equal("2026-05-01T10:00:06.123456Z", body.GetProperty("spec").GetProperty("renewTime").GetString());
        Assert.Equal(new DateTime(2026, 5, 1, 10, 0, 6, 123, 456, DateTimeKind.Utc), server.Get<V1Lease>("l", "onehop")!.Spec.RenewTime);
    }

    [Fact]
    public async Task Merge_patch_updates_the_latest_state()
    {
        await using var server = await TestServer.StartAsync();
        using var client = TestServer.Client(server);
        server.Create(Sample.Service("web"));

        var patched = await client.CoreV1.PatchNamespacedServiceAsync(
            new V1Patch("""{"metadata":{"labels":{"team":"edge"}}}""", V1Patch.PatchType.MergePatch), "web", "prod", cancellationToken: TestTimeouts.Token());

        Assert.Equal("edge", patched.Metadata.Labels["team"]);
        Assert.Equal(80, patched.Spec.Ports[0].Port);
        _ = JsonDocument.Parse("{}");
    }

    [Fact]
    public async Task Unknown_paths_and_methods_answer_status_objects()
    {
        await using var server = await TestServer.StartAsync();
        using var http = RawHttp.Client(server);

        var (unknown, unknownBody) = await RawHttp.GetJsonAsync(http, "/apis/example.com/v1/widgets");
        var (clusterInNamespace, _) = await RawHttp.GetJsonAsync(http, "/api/v1/namespaces/prod/nodes");
        var (method, methodBody) = await RawHttp.SendJsonAsync(http, HttpMethod.Post, "/api/v1/namespaces/prod/services/web", "{}");

        Assert.Equal(404, unknown);
        Assert.Equal("the server could not find the requested resource", unknownBody.GetProperty("message").GetString());
        Assert.Equal(404, clusterInNamespace);
        Assert.Equal(405, method);
        Assert.Equal("MethodNotAllowed", methodBody.GetProperty("reason").GetString());
    }
}
