using OneHop.Core.State.GatewayApi;

namespace OneHop.Core.Routing.GatewayApi;

/// <summary>
/// A Gateway's <c>spec.infrastructure.parametersRef</c>. OneHop provisions nothing for a Gateway and defines no kind of
/// parameters, so every reference is to a kind it does not support: the spec has such a Gateway refused
/// (<c>Accepted=False</c>, <c>InvalidParameters</c>) rather than served as if the parameters were not there.
/// </summary>
internal static class GatewayParameters
{
    public const string Field = "spec.infrastructure.parametersRef";

    /// <summary>The refusal of a Gateway with parameters; null for one without.</summary>
    public static GatewayAddresses.Verdict? Refusal(GatewayInfrastructure? infrastructure)
    {
        if (infrastructure?.ParametersRef is not { } reference)
        {
            return null;
        }

        var message = $"{reference.Kind}.{reference.Group} {reference.Name}: OneHop supports no kind of Gateway parameters";
        return new GatewayAddresses.Verdict(GatewayCondition.False("Accepted", "InvalidParameters", message), GatewayCondition.False("Programmed", "Invalid", message), []) { Field = Field };
    }
}
