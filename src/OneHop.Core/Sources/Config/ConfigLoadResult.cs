using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;

namespace OneHop.Core.Sources.Config;

/// <summary>A config file read and validated: the config when it has no error, and every finding.</summary>
internal sealed record ConfigLoadResult(OneHopConfig? Config, ImmutableArray<Diagnostic> Diagnostics)
{
    public bool Succeeded => Config is not null;
}
