namespace OneHop.Core.Control;

/// <summary>One source as the admin API shows it.</summary>
internal sealed record SourceStatus(string Name, bool Synced, DateTimeOffset? LastSync, int Objects, int Errors);
