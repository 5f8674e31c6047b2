namespace OneHop.IntegrationTests.Support;

/// <summary>
/// Tests whose margins are a few hundred milliseconds (3 s Leases renewed within 2 s) run alone, after the parallel
/// ones: on a 2-core machine another test's load is enough to stretch them.
/// </summary>
[CollectionDefinition(nameof(TimingSensitive), DisableParallelization = true)]
public sealed class TimingSensitive;
