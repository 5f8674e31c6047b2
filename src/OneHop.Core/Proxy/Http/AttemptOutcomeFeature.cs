namespace OneHop.Core.Proxy.Http;

/// <summary>The classified outcome of the current attempt, kept on the request so that it is classified once.</summary>
internal sealed class AttemptOutcomeFeature(AttemptOutcome outcome)
{
    public AttemptOutcome Outcome { get; } = outcome;
}
