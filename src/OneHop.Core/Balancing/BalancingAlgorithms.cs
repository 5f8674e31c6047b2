namespace OneHop.Core.Balancing;

/// <summary>The names of the balancing algorithms, as operators write them in annotations and the config file.</summary>
internal static class BalancingAlgorithms
{
    public const string RoundRobin = "round-robin";
    public const string Random = "random";
    public const string LeastConnections = "least-connections";
    public const string PowerOfTwoChoices = "p2c";

    public const string Default = PowerOfTwoChoices;

    public static readonly IReadOnlyList<string> All = [RoundRobin, Random, LeastConnections, PowerOfTwoChoices];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
