namespace OneHop.Core.Tests.Proxy.Http1;

/// <summary>
/// How long the HTTP/1.1 property tests search: a bounded budget in CI; ONEHOP_FUZZ_ITERATIONS for a longer hunt and
/// ONEHOP_FUZZ_SEED to replay the seed CsCheck printed for a failure (the same variables as the other property tests).
/// </summary>
internal static class Http1Fuzz
{
    public static int Iterations(int ci) =>
        int.TryParse(Environment.GetEnvironmentVariable("ONEHOP_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ci;

    public static string? Seed => Environment.GetEnvironmentVariable("ONEHOP_FUZZ_SEED");

    public static void Report(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);
}
