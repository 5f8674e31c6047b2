using System.Collections.Immutable;

namespace OneHop.Core.Routing.Auth;

/// <summary>Reads the users of an htpasswd file (<c>auth-file</c>) or of a Secret's keys (<c>auth-map</c>).</summary>
internal static class Htpasswd
{
    /// <summary>
    /// <c>user:hash</c> lines (blank lines and <c>#</c> comments skipped); each line OneHop cannot use is added to
    /// <paramref name="problems"/> by its number, never with its hash.
    /// </summary>
    public static ImmutableDictionary<string, string> Read(string file, List<string> problems)
    {
        var users = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var lines = file.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                problems.Add($"line {i + 1} is not user:hash");
                continue;
            }

            Add(users, line[..colon], line[(colon + 1)..], $"line {i + 1}", problems);
        }

        return users.ToImmutable();
    }

    /// <summary>Adds a user whose hash OneHop can check; otherwise says why, naming <paramref name="where"/>.</summary>
    public static void Add(ImmutableDictionary<string, string>.Builder users, string user, string hash, string where, List<string> problems)
    {
        if (PasswordHashes.Problem(hash) is { } problem)
        {
            problems.Add($"{where} (user '{user}'): {problem}");
            return;
        }

        users[user] = hash;
    }
}
