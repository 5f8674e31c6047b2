using System.Buffers;

namespace OneHop.Core.Proxy.Http.Tracing;

/// <summary>
/// Tells a client's <c>traceparent</c> whose sampled flag is unset (its sampler left the trace out) without parsing it
/// into an <see cref="System.Diagnostics.ActivityContext"/>: OneHop records nothing under such a parent (parent-based
/// sampling), so the request passes through with the client's <c>traceparent</c> and <c>tracestate</c> as sent, which W3C
/// Trace Context allows a participant that makes no span of its own.
/// </summary>
/// <remarks>
/// Hand-written on the measured hot path: <see cref="System.Diagnostics.ActivityContext.TryParse(string, string, bool, out System.Diagnostics.ActivityContext)"/>
/// allocates the trace and span ids as strings for every request that carries a parent. Only the strict version-00 form is
/// recognised here; anything else (another version, upper case, a malformed value) goes to the library's parser as before.
/// </remarks>
internal static class UnsampledParent
{
    /// <summary>The length of a version-00 traceparent: <c>00-</c>, 32 hex digits, <c>-</c>, 16, <c>-</c>, 2.</summary>
    private const int Length = 55;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>True for a well-formed version-00 <c>traceparent</c> whose sampled flag is unset.</summary>
    public static bool Is(ReadOnlySpan<char> traceParent) =>
        traceParent.Length == Length
        && traceParent.StartsWith("00-")
        && traceParent[35] == '-'
        && traceParent[52] == '-'
        && IsNonZeroHex(traceParent.Slice(3, 32))
        && IsNonZeroHex(traceParent.Slice(36, 16))
        && !traceParent.Slice(53, 2).ContainsAnyExcept(LowerHex)
        && (HexValue(traceParent[54]) & 1) == 0;

    /// <summary>The trace id of a traceparent that <see cref="Is"/> accepted (for the access log).</summary>
    public static string TraceId(string traceParent) => traceParent.Substring(3, 32);

    private static bool IsNonZeroHex(ReadOnlySpan<char> digits) => !digits.ContainsAnyExcept(LowerHex) && digits.ContainsAnyExcept('0');

    private static int HexValue(char digit) => digit <= '9' ? digit - '0' : digit - 'a' + 10;
}
