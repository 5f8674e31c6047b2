using System.Text.Json;
using k8s;
using k8s.Models;
using OneHop.Core.State.GatewayApi;

namespace KubeApiTestServer.Tests.Support;

/// <summary>Gateway API objects (OneHop's models) and the group/version/plural triples the custom-object calls take.</summary>
internal static class GatewayApiSample
{
    public const string Group = GatewayApiNames.Group;

    public const string V1 = "v1";

    public static GatewayClass Class(string name, string controller = GatewayApiNames.ControllerName) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new GatewayClassSpec { ControllerName = controller },
    };

    public static Gateway Gateway(string name, string ns = "prod", int port = 80) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new GatewaySpec
        {
            GatewayClassName = "onehop",
            Listeners = [new GatewayListener { Name = "http", Port = port, Protocol = "HTTP" }],
        },
    };

    public static HttpRoute Route(string name, string ns = "prod", string host = "a.example.com", string backend = "web") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HttpRouteSpec
        {
            ParentRefs = [new ParentReference { Name = "edge" }],
            Hostnames = [host],
            Rules = [new HttpRouteRule { BackendRefs = [new BackendReference { Name = backend, Port = 80 }] }],
        },
    };

    public static ReferenceGrant Grant(string name, string ns = "backends") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ReferenceGrantSpec
        {
            From = [new ReferenceGrantFrom { Group = Group, Kind = "HTTPRoute", Namespace = "prod" }],
            To = [new ReferenceGrantTo { Group = "", Kind = "Service" }],
        },
    };

    /// <summary>A status as a controller writes it: one Accepted condition.</summary>
    public static IList<V1Condition> Accepted(long generation) =>
        [new V1Condition { Type = "Accepted", Status = "True", Reason = "Accepted", Message = "", ObservedGeneration = generation, LastTransitionTime = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc) }];

    /// <summary>The object of an untyped custom-object call (a <see cref="JsonElement"/>) as <typeparamref name="T"/>.</summary>
    public static T As<T>(object json) => KubernetesJson.Deserialize<T>(((JsonElement)json).GetRawText());

    /// <summary>The names of the items of an untyped custom-object LIST.</summary>
    public static List<string> Names(object list) =>
        [.. ((JsonElement)list).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()!)];
}
