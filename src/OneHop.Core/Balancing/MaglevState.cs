namespace OneHop.Core.Balancing;

/// <summary>What <c>maglev</c> keeps per destination list: the lookup table and the list's slow-start ramp.</summary>
internal sealed record MaglevState(MaglevTable Table, SlowStartRamp Ramp);
