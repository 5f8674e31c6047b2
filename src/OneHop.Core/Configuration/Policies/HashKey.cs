




namespace OneHop.Core.Configuration.Policies;

/// <summary>A hash key as written: <c>client-ip</c>, <c>header:NAME</c>, <c>cookie:NAME</c> or <c>path</c>.</summary>
internal sealed record HashKey(HashKeySource Source, string? Name = null)
{
    public static readonly HashKey ClientIp = new(HashKeySource.ClientIp);

    public static HashKey? Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var name = colon < 0 ? null : text[(colon + 1)..];
        return (kind, name) switch
        {
            ("client-ip", null) => ClientIp,
            ("path", null) => new HashKey(HashKeySource.Path),
            ("header", { Length: > 0 }) => new HashKey(HashKeySource.Header, name),
            ("cookie", { Length: > 0 }) => new HashKey(HashKeySource.Cookie, name),
            _ => null,
        };
    }

    public override string ToString() => Source switch
    {
        HashKeySource.ClientIp => "client-ip",
        HashKeySource.Path => "path",
        HashKeySource.Header => $"header:{Name}",
        _ => $"cookie:{Name}",
    };
}
