namespace OneHop.Core.Proxy.Http;

/// <summary>Why a request is not forwarded: the status, the <see cref="ErrorCodes"/> value and a one-line reason.</summary>
internal readonly record struct RequestRefusal(int Status, string Code, string Reason);
