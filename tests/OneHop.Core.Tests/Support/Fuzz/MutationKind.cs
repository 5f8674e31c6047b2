namespace OneHop.Core.Tests.Support.Fuzz;

internal enum MutationKind
{
    Null,
    HostileString,
    HostileNumber,
    EmptyArray,
    ArrayOfNull,
    EmptyObject,
    Remove,
    Duplicate,
    HostileAnnotation,
    Boolean,
}
