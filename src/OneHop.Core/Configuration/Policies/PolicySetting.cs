




namespace OneHop.Core.Configuration.Policies;

/// <summary>One policy setting as written: its key (annotation name without <c>onehop.dev/</c>), value, and where.</summary>
internal readonly record struct PolicySetting(string Key, string Value, string Field);
