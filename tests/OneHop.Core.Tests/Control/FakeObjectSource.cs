using OneHop.Core.Sources;
using OneHop.Core.State;

namespace OneHop.Core.Tests.Control;

/// <summary>A source whose snapshot the test sets; <see cref="Signal"/> plays the source's change notification.</summary>
internal sealed class FakeObjectSource(string name) : IObjectSource
{
    private Action? _changed;
    private SourceSnapshot _current = SourceSnapshot.NotSynced;

    public string Name => name;

    public SourceSnapshot Current
    {
        get => Reading?.Invoke() ?? _current;
        set => _current = value;
    }

    /// <summary>When set, every read of <see cref="Current"/> makes a new snapshot, as KubernetesSource does.</summary>
    public Func<SourceSnapshot>? Reading { get; set; }

    public void Set(ClusterState state) => Current = new SourceSnapshot(true, state, [], DateTimeOffset.UnixEpoch);

    public void Signal() => _changed?.Invoke();

    /// <summary>When set, the next run throws it (once), as a source with a bug would.</summary>
    public Exception? CrashWith { get; set; }

    public int Runs { get; private set; }

    public async Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        Runs++;
        if (CrashWith is { } crash)
        {
            CrashWith = null;
            throw crash;
        }

        _changed = changed;
        changed();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}
