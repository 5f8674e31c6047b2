namespace OneHop.Core.Configuration;

/// <summary>Which Ingresses OneHop serves.</summary>
/// <param name="ClassName">The class name honoured in the deprecated <c>kubernetes.io/ingress.class</c> annotation, and,
/// when <paramref name="OnlyThisClass"/> is set, the only IngressClass served.</param>
/// <param name="WatchWithoutClass">Serve Ingresses that name no class even when no IngressClass of ours is the default.</param>
/// <param name="OnlyThisClass">Serve only the IngressClass named <paramref name="ClassName"/> (set by <c>--ingress-class</c>).</param>
internal sealed record IngressSettings(string ClassName = IngressSettings.DefaultClassName, bool WatchWithoutClass = false, bool OnlyThisClass = false)
{
    public const string DefaultClassName = "onehop";

    /// <summary>The <c>spec.controller</c> of IngressClasses that OneHop implements.</summary>
    public const string ControllerName = "onehop.dev/ingress-controller";
}
