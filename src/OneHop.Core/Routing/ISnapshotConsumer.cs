namespace OneHop.Core.Routing;

/// <summary>
/// Something that acts on each translation: a data plane, the certificate store, the Ingress status publisher. The
/// coordinator calls its consumers in a fixed order it owns (certificates before the routes that need them), after
/// every translation; none of them reads a source or another consumer.
/// </summary>
internal interface ISnapshotConsumer
{
    /// <summary>Takes the translation in; quick (no I/O on the caller's thread) and never throws.</summary>
    void Apply(PublishedSnapshot published);
}
