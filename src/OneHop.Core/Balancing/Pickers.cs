using System.Collections.Frozen;
using OneHop.Core.Configuration.Policies;

namespace OneHop.Core.Balancing;

/// <summary>Every balancing algorithm by the name operators write (<see cref="BalancingAlgorithms"/>).</summary>
internal sealed class Pickers
{
    private readonly FrozenDictionary<string, IEndpointPicker> _byName;

    public Pickers(BalancingContext context, AffinityKey? affinityKey = null)
    {
        Context = context;
        IEndpointPicker[] all =
        [
            new RoundRobinPicker(context), new WeightedRoundRobinPicker(context), new RandomPicker(context),
            new LeastConnectionsPicker(context), new ShortestExpectedDelayPicker(context), new NeverQueuePicker(context),
            new PowerOfTwoChoicesPicker(context), new PeakEwmaPicker(context), new MaglevPicker(context),
            new CookieAffinityPicker(context, affinityKey),
        ];
        _byName = all.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        if (!BalancingAlgorithms.All.All(_byName.ContainsKey))
        {
            throw new InvalidOperationException("every algorithm name needs a picker");
        }
    }

    /// <summary>The clock and randomness the pickers share (weighted backend splits use the same).</summary>
    public BalancingContext Context { get; }

    /// <summary>The <c>cookie</c> picker, which also tells which of a route's weighted backends a session belongs to.</summary>
    public CookieAffinityPicker Affinity => (CookieAffinityPicker)_byName[BalancingAlgorithms.Cookie];

    /// <summary>The picker for <paramref name="algorithm"/>; p2c for a name it does not know (the translator refuses those).</summary>
    public IEndpointPicker For(string algorithm) => _byName.GetValueOrDefault(algorithm) ?? _byName[BalancingAlgorithms.Default];
}
