namespace KubeApiTestServer.Selectors;

/// <summary>The operators of a label selector requirement (apimachinery <c>selection.Operator</c>).</summary>
internal enum LabelOperator
{
    Equals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
