using System.Collections.Immutable;
using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;

namespace OneHop.Core.Sources.Config;

/// <summary>The config in force (the last good one) and what the latest read of the file found.</summary>
internal sealed record ConfigSnapshot(bool Synced, OneHopConfig Config, ImmutableArray<Diagnostic> Diagnostics, DateTimeOffset? LastLoad);
