using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace OneHop.Core.Balancing;

/// <summary>
/// State a picker derives from one list of available destinations. YARP builds a new list whenever destinations or
/// their health change and hands the same instance to every request until then, so keying by the instance (weakly,
/// so old lists are collected) rebuilds exactly once per change and never per request.
/// </summary>
internal sealed class DestinationListCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<IReadOnlyList<DestinationState>, T> _values = [];

    public bool TryGet(IReadOnlyList<DestinationState> list, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value) =>
        _values.TryGetValue(list, out value);

    /// <summary>The list's value, created once; <paramref name="create"/> should be static so that a hit allocates nothing.</summary>
    public T Get<TArg>(IReadOnlyList<DestinationState> list, TArg arg, Func<IReadOnlyList<DestinationState>, TArg, T> create)
    {
        if (_values.TryGetValue(list, out var value))
        {
            return value;
        }

        // Two requests may race to create; the first one stored wins and both use it.
        value = create(list, arg);
        return _values.TryAdd(list, value) ? value : _values.TryGetValue(list, out var stored) ? stored : value;
    }
}
