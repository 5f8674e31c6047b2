namespace KubeApiTestServer.Resources;

/// <summary>How a kind maintains <c>metadata.generation</c>.</summary>
internal enum GenerationPolicy
{
    /// <summary>The kind has no generation (Secret, Node, Lease).</summary>
    None,

    /// <summary>Generation starts at 1 and is bumped when <c>spec</c> changes.</summary>
    Spec,

    /// <summary>Generation starts at 1 and is bumped when anything but metadata, or the labels, change (EndpointSlice).</summary>
    NonMetadata,
}
