using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using KubeApiTestServer.Json;
using KubeApiTestServer.Objects;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Storage;

namespace KubeApiTestServer;

/// <summary>
/// The direct C# API: typed reads and writes that go through the same store and rules as HTTP, so watches see
/// them. Failures throw <see cref="KubeApiException"/> with the Status the HTTP API would return.
/// </summary>
public sealed partial class KubeApiServer
{
    /// <summary>The namespace used when a namespaced object names none.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>Creates an object (201 semantics: 409 when it exists, 422 when invalid). Returns the stored object.</summary>
    public T Create<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, body) = Prepare(obj);
        return Typed<T>(_objects.Create(kind, ns, body, rejectResourceVersion: false));
    }

    /// <summary>
    /// Replaces an object. With <c>metadata.resourceVersion</c> set the update is conditional (409 on a stale RV);
    /// without it the update is unconditional, for every kind. The status of kinds with a status subresource is kept.
    /// </summary>
    public T Replace<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, body) = Prepare(obj);
        return Typed<T>(_objects.Replace(kind, ns, NameOf(obj), body, allowUnconditional: true).Stored);
    }

    /// <summary>
    /// Replaces only the status (the <c>/status</c> subresource semantics); spec and metadata are kept. Like
    /// <see cref="Replace{T}"/>, conditional only when <c>metadata.resourceVersion</c> is set.
    /// </summary>
    public T ReplaceStatus<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, body) = Prepare(obj);
        return Typed<T>(_objects.ReplaceStatus(kind, ns, NameOf(obj), body, allowUnconditional: true));
    }

    /// <summary>Creates the object, or replaces it unconditionally when it exists (keeping a status subresource).</summary>
    public T Upsert<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var (kind, ns, body) = Prepare(obj);
        var name = NameOf(obj);
        if (_store.Get(kind, ObjectService.Key(kind, ns, name)) is null)
        {
            try
            {
                return Typed<T>(_objects.Create(kind, ns, body, rejectResourceVersion: false));
            }
            catch (KubeApiException e) when (e.Code == 409)
            {
                (_, _, body) = Prepare(obj);
            }
        }

        JsonObjects.Metadata(body).Remove("resourceVersion");
        return Typed<T>(_objects.Replace(kind, ns, name, body, allowUnconditional: true).Stored);
    }

    /// <summary>Deletes an object and returns its last state (404 <see cref="KubeApiException"/> when missing).</summary>
    public T Delete<T>(string name, string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ResourceKinds.ForType(typeof(T));
        return Typed<T>(_objects.Delete(kind, NamespaceFor(kind, @namespace), name, null));
    }

    /// <summary>The stored object, or null.</summary>
    public T? Get<T>(string name, string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ResourceKinds.ForType(typeof(T));
        var stored = _store.Get(kind, ObjectService.Key(kind, NamespaceFor(kind, @namespace), name));
        return stored is null ? null : Typed<T>(stored);
    }

    /// <summary>The stored objects of a kind in one namespace (all namespaces when null), ordered by namespace/name.</summary>
    public IReadOnlyList<T> List<T>(string? @namespace = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ResourceKinds.ForType(typeof(T));
        return _store.List(kind, kind.Namespaced ? @namespace : null).Items.Select(Typed<T>).ToList();
    }

    private static (ResourceKind Kind, string Namespace, JsonObject Body) Prepare<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(obj);
        var kind = ResourceKinds.ForType(obj.GetType());
        var body = JsonNode.Parse(KubernetesJson.Serialize(obj))?.AsObject()
            ?? throw new ArgumentException("The object did not serialise to a JSON object.", nameof(obj));
        return (kind, NamespaceFor(kind, obj.Metadata?.NamespaceProperty), body);
    }

    private static string NamespaceFor(ResourceKind kind, string? ns) =>
        !kind.Namespaced ? "" : string.IsNullOrEmpty(ns) ? DefaultNamespace : ns;

    private static string NameOf<T>(T obj)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        obj.Metadata?.Name is { Length: > 0 } name ? name : throw new ArgumentException("metadata.name is required.", nameof(obj));

    private static T Typed<T>(StoredObject stored) => KubernetesJson.Deserialize<T>(stored.Json.GetRawText());
}
