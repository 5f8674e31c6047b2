namespace KubeApiTestServer.Resources;

/// <summary>Everything the server needs to know about one kind: names, scope and its registry strategy.</summary>
internal sealed record ResourceKind
{
    public required KubeKind Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>The API group; empty for the core group.</summary>
    public required string Group { get; init; }

    public required string Version { get; init; }

    /// <summary>The lowercase plural used in URLs, e.g. <c>endpointslices</c>.</summary>
    public required string Plural { get; init; }

    public required bool Namespaced { get; init; }

    public required Type ClrType { get; init; }

    public bool HasStatusSubresource { get; init; }

    /// <summary>Served from a CustomResourceDefinition, so a test may make it "not installed".</summary>
    public bool IsCustomResource { get; init; }

    public bool AllowUnconditionalUpdate { get; init; } = true;

    public bool AllowCreateOnUpdate { get; init; }

    public GenerationPolicy Generation { get; init; }

    /// <summary>DELETE answers with the deleted object (Service) instead of a Success Status.</summary>
    public bool ReturnDeletedObject { get; init; }

    /// <summary>The field selectors the kind accepts, besides none at all.</summary>
    public IReadOnlyList<string> SelectableFields { get; init; } = ["metadata.name", "metadata.namespace"];

    public FieldSelectorStyle FieldSelectorStyle { get; init; }

    public string ListKind => Kind + "List";

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>The resource as the real server names it in messages, e.g. <c>leases.coordination.k8s.io</c>.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>The kind as the real server names it in validation messages, e.g. <c>Lease.coordination.k8s.io</c>.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : Kind + "." + Group;
}
