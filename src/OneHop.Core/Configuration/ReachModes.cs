namespace OneHop.Core.Configuration;

/// <summary>The written names of <see cref="ReachMode"/>, shared by the annotation, the config file and the CLI.</summary>
internal static class ReachModes
{
    public const string Names = "pods, nodeports or auto";

    public static ReachMode? Parse(string? text) => text switch
    {
        "pods" => ReachMode.Pods,
        "nodeports" => ReachMode.NodePorts,
        "auto" => ReachMode.Auto,
        _ => null,
    };
}
