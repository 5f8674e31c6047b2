namespace KubeApiTestServer;

/// <summary>One API request the server received, in arrival order: method, path and raw query string.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query)
{
    /// <summary>True for a watch request (the <c>watch</c> parameter set to anything but false/0, or the legacy /watch/ path).</summary>
    public bool IsWatch { get; init; }

    public override string ToString() => $"{Method} {Path}{Query}";
}
