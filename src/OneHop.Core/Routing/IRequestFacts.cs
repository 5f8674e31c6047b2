namespace OneHop.Core.Routing;

/// <summary>
/// What route conditions may read of a request besides host and path. The data plane passes a struct, so matching
/// neither boxes nor allocates; only routes with conditions (Gateway API matches) ever call it.
/// </summary>
internal interface IRequestFacts
{
    string Method { get; }

    /// <summary>The header's value, several field lines joined by <c>", "</c>; null when absent.</summary>
    string? Header(string name);

    /// <summary>The first value of the query parameter; null when absent.</summary>
    string? Query(string name);
}
