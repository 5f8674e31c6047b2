namespace OneHop.Core.Admin;

/// <summary>Who writes status and Events: this replica's identity, the leader it last saw, and whether it is the leader.</summary>
internal sealed record LeadershipDocument(string Identity, string? Leader, bool IsLeader);
