using System.Text;
using k8s;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.Routing;
using OneHop.Core.State;

namespace OneHop.Core.Control.Events;

/// <summary>
/// Which Events a translation calls for: one Warning per error or warning the translator (or a source) has about an
/// object that came from the API server — an Ingress, a Service, a Gateway API object — with the diagnostic's code as
/// the reason and its field and message as the note. Informational findings (an Ingress of another class "not
/// served") get none: those objects are someone else's. Objects from manifest files have no uid and get none.
/// </summary>
internal static class EventFindings
{
    /// <summary>The API server refuses longer notes (<c>note</c>: at most 1024 bytes).</summary>
    public const int MaxNoteBytes = 1024;

    /// <summary>The Normal Event of an object OneHop warned about that has no finding left.</summary>
    public const string ResolvedReason = "Resolved";

    public static IReadOnlyList<EventFinding> Warnings(PublishedSnapshot published)
    {
        var findings = new List<EventFinding>();
        var seen = new HashSet<(string, string, string, string, string, string, string)>();
        foreach (var diagnostic in published.Diagnostics)
        {
            if (diagnostic.Severity == DiagnosticSeverity.Info || diagnostic.Object is not { } reference || Subject(published.Cluster, reference) is not { } subject)
            {
                continue;
            }

            var note = Note(diagnostic.Field is null ? diagnostic.Message : $"{diagnostic.Field}: {diagnostic.Message}");
            var finding = new EventFinding(subject, EventFinding.Warning, diagnostic.Code, note);
            if (seen.Add(finding.Key))
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    /// <summary>
    /// The Normal Event for <paramref name="subject"/> once it has no finding left, or null when it should get none:
    /// it is gone (or replaced: another uid), or it is an Ingress OneHop no longer serves (another controller's now).
    /// </summary>
    public static EventFinding? Resolved(PublishedSnapshot published, EventSubject subject)
    {
        var reference = new ObjectRef(subject.Kind, subject.Namespace, subject.Name);
        if (Subject(published.Cluster, reference) is not { } current || current.Uid != subject.Uid
            || (subject.Kind == KubeKinds.Ingress && !published.Served.Contains(reference)))
        {
            return null;
        }

        return new EventFinding(current, EventFinding.Normal, ResolvedReason, $"OneHop has no findings about this {subject.Kind} any more; it is routed as written");
    }

    /// <summary>The object as <c>regarding</c> names it, when it came from the API server and is still there.</summary>
    private static EventSubject? Subject(ClusterState cluster, ObjectRef reference)
    {
        if (cluster.OriginOf(reference) != ObjectOrigin.Kubernetes
            || KindRegistry.All.FirstOrDefault(k => k.Name == reference.Kind) is not { } kind
            || kind.Accept(new MetadataLookup(cluster, reference.Key)) is not { Uid: { Length: > 0 } uid } metadata)
        {
            return null;
        }

        return new EventSubject(kind.ApiVersion, kind.Name, kind.ClusterScoped ? string.Empty : reference.Namespace, reference.Name, uid, metadata.ResourceVersion);
    }

    /// <summary>The note cut to what the API server takes, on a character boundary.</summary>
    private static string Note(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= MaxNoteBytes)
        {
            return text;
        }

        const char Ellipsis = '…';
        var budget = MaxNoteBytes - Encoding.UTF8.GetByteCount([Ellipsis]);
        var builder = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }

            builder.Append(rune.ToString());
        }

        return builder.Append(Ellipsis).ToString();
    }

    private sealed class MetadataLookup(ClusterState cluster, ObjectKey key) : IKindVisitor<V1ObjectMeta?>
    {
        public V1ObjectMeta? Visit<T>(KubeKind<T> kind)
            where T : class, IKubernetesObject<V1ObjectMeta> =>
            cluster.Of(kind).TryGetValue(key, out var obj) ? obj.Metadata : null;
    }
}
