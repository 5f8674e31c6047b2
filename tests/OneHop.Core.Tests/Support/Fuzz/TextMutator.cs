using System.Text;

namespace OneHop.Core.Tests.Support.Fuzz;

/// <summary>Applies <see cref="Mutation"/>s to text: YAML tokens inserted, ranges deleted, lines repeated, the text cut short.</summary>
internal static class TextMutator
{
    public static string Apply(string text, IEnumerable<Mutation> mutations)
    {
        var builder = new StringBuilder(text);
        foreach (var mutation in mutations)
        {
            var at = builder.Length == 0 ? 0 : mutation.Target % (builder.Length + 1);
            switch ((int)mutation.Kind % 5)
            {
                case 0:
                    builder.Insert(at, HostileValues.YamlToken(mutation.Value));
                    break;
                case 1:
                    builder.Remove(at, Math.Min(1 + (mutation.Value % 24), builder.Length - at));
                    break;
                case 2:
                    var lines = builder.ToString().Split('\n').ToList();
                    var line = mutation.Target % lines.Count;
                    lines.Insert(line, lines[line]);
                    builder.Clear().Append(string.Join('\n', lines));
                    break;
                case 3:
                    builder.Insert(at, HostileValues.String(mutation.Value));
                    break;
                default:
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }
}
