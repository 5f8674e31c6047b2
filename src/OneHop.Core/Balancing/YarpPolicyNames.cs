using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Balancing;

/// <summary>Maps OneHop's algorithm names to the name of the YARP <c>ILoadBalancingPolicy</c> that implements each.</summary>
internal static class YarpPolicyNames
{
    /// <summary>
    /// YARP always registers its built-in policies and looks them up ignoring case, so OneHop's <c>random</c> would
    /// clash with YARP's <c>Random</c> at startup; a prefix keeps every OneHop name clear of YARP's, now and later.
    /// </summary>
    public const string Prefix = "onehop-";

    public static string For(string algorithm) => BalancingAlgorithms.IsKnown(algorithm)
        ? Prefix + algorithm
        : throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown balancing algorithm");
}
