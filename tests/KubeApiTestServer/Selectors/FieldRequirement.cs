namespace KubeApiTestServer.Selectors;

/// <summary>One term of a field selector: <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>.</summary>
internal sealed record FieldRequirement(string Field, bool Equal, string Value)
{
    public bool Matches(string? actual) => Equal == string.Equals(actual ?? "", Value, StringComparison.Ordinal);
}
