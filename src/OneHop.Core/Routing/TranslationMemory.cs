using System.Collections.Immutable;
using OneHop.Core.Routing.Ingresses;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>
/// The last version of each Ingress that compiled without error. When an edit breaks an Ingress, the translator
/// routes by this version instead, so a typo never takes a site down.
/// </summary>
internal sealed record TranslationMemory(ImmutableDictionary<ObjectKey, CompiledIngress> LastGood)
{
    public static readonly TranslationMemory Empty = new(ImmutableDictionary<ObjectKey, CompiledIngress>.Empty);
}
