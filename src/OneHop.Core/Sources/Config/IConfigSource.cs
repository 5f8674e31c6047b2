namespace OneHop.Core.Sources.Config;

/// <summary>Where the config comes from: a watched file, or built-in defaults when there is none.</summary>
internal interface IConfigSource
{
    string Name { get; }

    ConfigSnapshot Current { get; }

    Task RunAsync(Action changed, CancellationToken cancellationToken);
}
