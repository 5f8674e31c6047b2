namespace OneHop.Core.Balancing;

/// <summary>
/// The operator's secret HMAC key for affinity cookies (<c>run --affinity-key-file</c>). Every replica must have the
/// same one, or a cookie issued by one replica is a stranger to the others.
/// </summary>
internal sealed record AffinityKey(byte[] Bytes)
{
    /// <summary>Shorter keys are refused: 128 bits is what the cookie value itself carries.</summary>
    public const int MinimumBytes = 16;
}
