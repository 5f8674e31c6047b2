using CsCheck;

namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>
/// How long the property tests search. CI runs a bounded budget; set ONEHOP_FUZZ_ITERATIONS for a longer hunt, and
/// ONEHOP_FUZZ_SEED to replay the seed CsCheck printed for a failure.
/// </summary>
internal static class FuzzBudget
{
    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("ONEHOP_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ci;

    public static string? Seed => Environment.GetEnvironmentVariable("ONEHOP_FUZZ_SEED");

    /// <summary>CsCheck's summary (iterations run, time), in the test's output.</summary>
    public static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    /// <summary>One to <paramref name="max"/> mutations, small ones first when CsCheck shrinks a failure.</summary>
    public static Gen<Mutation[]> Mutations(int max = 6) =>
        Gen.Select(Gen.Int[0, Enum.GetValues<MutationKind>().Length - 1], Gen.Int[0, 1 << 20], Gen.Int[0, 1 << 10], (k, t, v) => new Mutation((MutationKind)k, t, v))
            .Array[1, max];
}
