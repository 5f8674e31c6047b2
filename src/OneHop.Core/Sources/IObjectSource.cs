namespace OneHop.Core.Sources;

/// <summary>
/// A producer of Kubernetes objects: the manifest directory or the Kubernetes API. Sources only produce state;
/// they signal changes and one coordinator rebuilds routing.
/// </summary>
internal interface IObjectSource
{
    string Name { get; }

    /// <summary>The latest contribution; never null, <see cref="SourceSnapshot.NotSynced"/> at first.</summary>
    SourceSnapshot Current { get; }

    /// <summary>Loads, then follows changes until cancelled, calling <paramref name="changed"/> after each change.</summary>
    Task RunAsync(Action changed, CancellationToken cancellationToken);
}
