using System.Collections.Immutable;
using k8s.Models;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing.Endpoints;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>
/// What the translator worked out from objects that have not changed since the last translation: parsed
/// EndpointSlices, the endpoint lists built from them, compiled Ingresses, parsed TLS Secrets, with the diagnostics each produced. The
/// sources replace an object when it changes, so an entry is valid while the object is the same instance. With
/// 10,000 endpoints under 100 changes a second this turns most of a rebuild into lookups, and unchanged backends keep
/// the same endpoint arrays, so comparing snapshots and building YARP clusters short-circuits on them.
/// </summary>
/// <remarks>
/// A memo, not state: the output is the same with or without it (tested). One translation at a time (the
/// coordinator's build lock); each translation keeps only the entries it used, so deleted objects do not linger.
/// </remarks>
internal sealed class TranslationCache
{
    private Generation _current = new();
    private Generation _next = new();

    public bool TryGetSlice(ObjectKey key, V1EndpointSlice slice, ObjectOrigin origin, out SliceEntry entry) =>
        TryReuse(_current.Slices, _next.Slices, key, slice, origin, out entry);

    public void PutSlice(ObjectKey key, SliceEntry entry) => _next.Slices[key] = entry;

    public bool TryGetEndpoints(EndpointsKey key, IReadOnlyList<IndexedSlice> slices, out ImmutableArray<BackendEndpoint> endpoints)
    {
        if (_current.Endpoints.TryGetValue(key, out var entry) && SameSlices(entry.Slices, slices))
        {
            _next.Endpoints[key] = entry;
            endpoints = entry.Endpoints;
            return true;
        }

        endpoints = default;
        return false;
    }

    public void PutEndpoints(EndpointsKey key, IReadOnlyList<IndexedSlice> slices, ImmutableArray<BackendEndpoint> endpoints) =>
        _next.Endpoints[key] = new EndpointsEntry([.. slices], endpoints);

    public bool TryGetIngress(ObjectKey key, V1Ingress ingress, ObjectOrigin origin, out IngressEntry entry) =>
        TryReuse(_current.Ingresses, _next.Ingresses, key, ingress, origin, out entry);

    public void PutIngress(ObjectKey key, IngressEntry entry) => _next.Ingresses[key] = entry;

    public bool TryGetCertificate(ObjectKey key, V1Secret secret, ObjectOrigin origin, out CertificateEntry entry) =>
        TryReuse(_current.Certificates, _next.Certificates, key, secret, origin, out entry);

    public void PutCertificate(ObjectKey key, CertificateEntry entry) => _next.Certificates[key] = entry;

    /// <summary>Ends a translation: what it used becomes the cache, the rest is dropped.</summary>
    public void Commit()
    {
        (_current, _next) = (_next, _current);
        _next.Clear();
    }

    /// <summary>The entry worked out from this very object (same instance, same origin), carried into the next generation.</summary>
    private static bool TryReuse<TEntry>(Dictionary<ObjectKey, TEntry> current, Dictionary<ObjectKey, TEntry> next, ObjectKey key, object source, ObjectOrigin origin, out TEntry entry)
        where TEntry : class, IObjectEntry
    {
        if (current.TryGetValue(key, out entry!) && ReferenceEquals(entry.Source, source) && entry.Origin == origin)
        {
            next[key] = entry;
            return true;
        }

        return false;
    }

    private static bool SameSlices(IndexedSlice[] cached, IReadOnlyList<IndexedSlice> slices)
    {
        if (cached.Length != slices.Count)
        {
            return false;
        }

        for (var i = 0; i < cached.Length; i++)
        {
            if (!ReferenceEquals(cached[i], slices[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <param name="Indexed">Null when the slice is left out (no Service label, unsupported address type).</param>
    internal sealed record SliceEntry(V1EndpointSlice Slice, ObjectOrigin Origin, ObjectKey Service, IndexedSlice? Indexed, Diagnostic[] Diagnostics) : IObjectEntry
    {
        object IObjectEntry.Source => Slice;
    }

    internal sealed record IngressEntry(V1Ingress Ingress, ObjectOrigin Origin, CompiledIngress Compiled, Diagnostic[] Errors) : IObjectEntry
    {
        object IObjectEntry.Source => Ingress;

        /// <summary>The controller ConfigMap's defaults it was compiled with: another one compiles it again.</summary>
        public Ingresses.Nginx.NginxControllerConfig? Controller { get; init; }
    }

    /// <summary>A TLS Secret's certificate and key, parsed and checked (parsing a key costs a millisecond or more).</summary>
    internal sealed record CertificateEntry(V1Secret Secret, ObjectOrigin Origin, CertificateInfo? Info, string? Error) : IObjectEntry
    {
        object IObjectEntry.Source => Secret;
    }

    /// <summary>What an entry was worked out from.</summary>
    internal interface IObjectEntry
    {
        object Source { get; }

        ObjectOrigin Origin { get; }
    }

    /// <summary>A Service port as far as endpoints depend on it: its name, number and target.</summary>
    internal readonly record struct EndpointsKey(ObjectKey Service, string? PortName, int Port, string? TargetPort, string Protocol = "TCP");

    private sealed record EndpointsEntry(IndexedSlice[] Slices, ImmutableArray<BackendEndpoint> Endpoints);

    private sealed class Generation
    {
        public Dictionary<ObjectKey, SliceEntry> Slices { get; } = [];

        public Dictionary<EndpointsKey, EndpointsEntry> Endpoints { get; } = [];

        public Dictionary<ObjectKey, IngressEntry> Ingresses { get; } = [];

        public Dictionary<ObjectKey, CertificateEntry> Certificates { get; } = [];

        public void Clear()
        {
            Slices.Clear();
            Endpoints.Clear();
            Ingresses.Clear();
            Certificates.Clear();
        }
    }
}
