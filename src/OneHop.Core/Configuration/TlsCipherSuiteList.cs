using System.Collections.Immutable;
using System.Net.Security;

namespace OneHop.Core.Configuration;

/// <summary>The TLS cipher suites the HTTPS listeners offer, in order (<see cref="TlsCipherSuiteNames"/>); equal by content, so an unchanged list is no change.</summary>
internal sealed record TlsCipherSuiteList(ImmutableArray<TlsCipherSuite> Suites)
{
    public bool Equals(TlsCipherSuiteList? other) => other is not null && Suites.SequenceEqual(other.Suites);

    public override int GetHashCode() => Suites.Length == 0 ? 0 : HashCode.Combine(Suites.Length, Suites[0]);

    public override string ToString() => string.Join(':', Suites);

    /// <summary>The list <paramref name="value"/> names; null with the reason when it is not one.</summary>
    public static TlsCipherSuiteList? Parse(string value, out string? error) =>
        TlsCipherSuiteNames.Parse(value, out error) is { } suites ? new TlsCipherSuiteList(suites) : null;
}
