namespace OneHop.Core.Routing.GatewayApi;

/// <summary>One condition OneHop reports on a Gateway API object, with the spec's type and reason names.</summary>
internal sealed record GatewayCondition(string Type, bool Status, string Reason, string Message)
{
    public static GatewayCondition True(string type, string reason, string message = "") => new(type, true, reason, message);

    public static GatewayCondition False(string type, string reason, string message) => new(type, false, reason, message);
}
