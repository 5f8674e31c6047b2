using OneHop.Core.Configuration;

namespace OneHop.Core.Sources.Config;

/// <summary>The config when no file is given (or one loaded once, for <c>validate</c>): never changes.</summary>
internal sealed class DefaultConfigSource(OneHopConfig config) : IConfigSource
{
    public string Name => "defaults";

    public ConfigSnapshot Current { get; } = new(true, config, [], null);

    public Task RunAsync(Action changed, CancellationToken cancellationToken)
    {
        changed();
        return Task.CompletedTask;
    }
}
