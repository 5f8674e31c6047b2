namespace KubeApiTestServer.Resources;

/// <summary>How a kind maintains <c>metadata.generation</c>.</summary>
internal enum GenerationPolicy
{
    /// <summary>The kind has no generation (Secret, which has no spec).</summary>
    None,

    /// <summary>
    /// Generation starts at 1 and is bumped when <c>spec</c> changes. The contract asks for this on every kind with
    /// a spec, so Node and Lease get it too, although the real registries leave theirs unset.
    /// </summary>
    Spec,

    /// <summary>Generation starts at 1 and is bumped when anything but metadata, or the labels, change (EndpointSlice).</summary>
    NonMetadata,

    /// <summary>
    /// Generation starts at 1 and is bumped when anything but metadata changes (apiextensions' custom-resource
    /// strategy). With a status subresource the stored status is already back in place by then, so status writes
    /// through the main resource never bump it.
    /// </summary>
    AnyButMetadata,
}
