using OneHop.Core.Diagnostics;
using OneHop.Core.State;

namespace OneHop.Core.Routing;

/// <summary>
/// The last line of "one bad object never freezes routing": the translator reads every field null-safe and
/// range-checked (a property test feeds it mutated objects to keep it so), and should a reader still throw, the
/// exception is confined to the object being read. It becomes an <see cref="DiagnosticCodes.InternalError"/> on that
/// object, the caller substitutes what it would for a broken object (its last good version, or nothing), and every
/// other object still routes.
/// </summary>
internal static class TranslationGuard
{
    public static T Run<T>(Func<T> read, Func<T> fallback, List<Diagnostic> diagnostics, ObjectRef reference, ObjectOrigin origin)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Add(Failure(ex, reference, origin));
            return fallback();
        }
    }

    public static Diagnostic Failure(Exception ex, ObjectRef reference, ObjectOrigin origin) => Diagnostic.Error(
        DiagnosticCodes.InternalError,
        $"OneHop could not read this object ({ex.GetType().Name}: {ex.Message}); it is treated as broken. This is a bug in OneHop: please report it with the object",
        reference,
        origin);
}
