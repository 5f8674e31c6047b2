namespace OneHop.Core.Configuration;

/// <summary>Which Gateway API objects OneHop serves.</summary>
/// <param name="ClassName">Only the GatewayClass of this name (<c>--gateway-class</c>); null for every class whose
/// controllerName is OneHop's.</param>
internal sealed record GatewaySettings(string? ClassName = null);
