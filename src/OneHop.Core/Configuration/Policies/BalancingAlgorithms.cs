namespace OneHop.Core.Configuration.Policies;

/// <summary>The names of the balancing algorithms, as operators write them in annotations and the config file.</summary>
internal static class BalancingAlgorithms
{
    public const string RoundRobin = "round-robin";
    public const string WeightedRoundRobin = "weighted-round-robin";
    public const string Random = "random";
    public const string LeastConnections = "least-connections";

    /// <summary>IPVS <c>sed</c>, shortest expected delay: the lowest (in flight + 1) / weight.</summary>
    public const string ShortestExpectedDelay = "sed";

    /// <summary>IPVS <c>nq</c>, never queue: an idle endpoint if there is one, else shortest expected delay.</summary>
    public const string NeverQueue = "nq";

    public const string PowerOfTwoChoices = "p2c";
    public const string PeakEwma = "peak-ewma";
    public const string Maglev = "maglev";

    /// <summary>Session affinity through a stateless cookie naming the endpoint.</summary>
    public const string Cookie = "cookie";

    public const string Default = PowerOfTwoChoices;

    public static readonly IReadOnlyList<string> All =
    [
        RoundRobin, WeightedRoundRobin, Random, LeastConnections, ShortestExpectedDelay, NeverQueue, PowerOfTwoChoices,
        PeakEwma, Maglev, Cookie,
    ];

    public static bool IsKnown(string name) => All.Contains(name, StringComparer.Ordinal);
}
