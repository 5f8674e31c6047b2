namespace OneHop.Core.Configuration;

/// <summary>What to do with a client-identity header: replace what the client sent, add to it, or leave it alone.</summary>
internal enum ForwardedAction
{
    Set,
    Append,
    Off,
}
