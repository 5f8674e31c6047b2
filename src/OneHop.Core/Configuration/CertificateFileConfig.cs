namespace OneHop.Core.Configuration;

/// <summary>A PEM certificate (with its chain, leaf first) and its key, as files; re-read when they change.</summary>
internal sealed record CertificateFileConfig(string CertFile, string KeyFile);
