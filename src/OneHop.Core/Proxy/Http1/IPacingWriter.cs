namespace OneHop.Core.Proxy.Http1;

/// <summary>
/// A response writer whose flushes wait on a pace OneHop keeps (ingress-nginx's limit-rate), not on a slow client:
/// while such a flush waits, the pod is not silent, so the exchange's read timer does not run out (nginx sets no read
/// timer on an upstream it is not reading). A plain writer's long flush still counts against it, as before.
/// </summary>
internal interface IPacingWriter;
