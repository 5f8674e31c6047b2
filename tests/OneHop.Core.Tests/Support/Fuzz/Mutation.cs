namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>
/// One edit of a seed input, as plain numbers so CsCheck can generate and shrink it: what to do, where (an index taken
/// modulo the number of places), and with which value (an index into <see cref="HostileValues"/>).
/// </summary>
internal readonly record struct Mutation(MutationKind Kind, int Target, int Value)
{
    public override string ToString() => $"{Kind}@{Target}:{Value}";
}
