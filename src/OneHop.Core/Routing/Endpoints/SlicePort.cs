namespace OneHop.Core.Routing.Endpoints;

/// <summary>One valid port of an EndpointSlice: its name ("" when unnamed), its number if set, and its protocol.</summary>
internal sealed record SlicePort(string Name, int? Number, string Protocol);
