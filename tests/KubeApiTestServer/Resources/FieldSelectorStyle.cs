namespace KubeApiTestServer.Resources;

/// <summary>Which error text the real server gives for an unsupported field selector on a kind.</summary>
internal enum FieldSelectorStyle
{
    /// <summary><c>"f" is not a known field selector: only "metadata.name", "metadata.namespace"</c>.</summary>
    Default,

    /// <summary><c>field label not supported: f</c> (kinds with their own conversion function).</summary>
    LabelNotSupported,
}
