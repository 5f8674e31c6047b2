namespace OneHop.Core.Admin;

/// <summary>
/// Something an operator should fix: a finding about the input (<c>/api/status</c>), a failed build, or a certificate
/// that expired or soon will (<c>/api/certificates</c>).
/// </summary>
/// <param name="Severity"><c>error</c> or <c>warning</c>.</param>
/// <param name="Area"><c>config</c>, <c>build</c>, <c>data-plane</c> or <c>certificate</c>.</param>
/// <param name="Subject">The object, file or certificate it is about, when there is one.</param>
internal sealed record TopologyProblem(string Severity, string Area, string Message, string? Subject = null, string? Code = null);
