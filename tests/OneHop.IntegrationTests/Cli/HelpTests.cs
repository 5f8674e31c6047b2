using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using OneHop.Cli;

namespace OneHop.IntegrationTests.Cli;

/// <summary>
/// <c>--help</c> and the README's tables of commands and options say exactly what the commands take, so that the
/// texts cannot drift from the code again.
/// </summary>
public sealed partial class HelpTests
{
    public static TheoryData<string> Commands => [.. VisibleCommands().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_lists_every_option_of_the_command_with_its_description_and_no_other(string name)
    {
        var command = VisibleCommands().Single(c => c.Name == name);
        using var output = new StringWriter();

        Assert.Equal(0, await OneHopCli.InvokeAsync([name, "--help"], output, output));

        var help = output.ToString();
        var options = OptionsOf(command).ToList();
        var flat = Flatten(help);
        Assert.All(options, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{name} {o.Name} has no description");
            Assert.Contains(Flatten(o.Description!), flat, StringComparison.Ordinal);
        });
        Assert.Equal(
            options.SelectMany(o => o.Aliases.Where(a => a.StartsWith('-')).Prepend(o.Name)).Order(StringComparer.Ordinal),
            HelpRows(help).Order(StringComparer.Ordinal));

        // A description that points to another option points to one this command has.
        var names = options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(
            options.SelectMany(o => OptionName().Matches(o.Description!).Select(m => (Option: o.Name, Mentions: m.Value))),
            m => Assert.True(names.Contains(m.Mentions), $"{name} {m.Option} mentions {m.Mentions}, which {name} does not take"));
    }

    /// <summary>Texts that were once wrong for the command (issue 16): each pair is a command and what its help must not say.</summary>
    [Theory]
    [InlineData("validate", "to serve")]
    [InlineData("validate", "watched for changes")]
    [InlineData("demo", "config file's listeners")]
    [InlineData("routes", "Watch the Kubernetes API")]
    [InlineData("run", "[default: 0.0.0.0:8080]")]
    [InlineData("run", "<Critical|Debug|Error|Information|None|Trace|Warning>")]
    public async Task Help_does_not_say_what_the_command_does_not_do(string name, string untrue)
    {
        using var output = new StringWriter();

        await OneHopCli.InvokeAsync([name, "--help"], output, output);

        Assert.DoesNotContain(untrue, Flatten(output.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_README_lists_every_command()
    {
        var rows = Table(Readme(), "| command | what it does |").Select(r => Regex.Match(r, "`onehop ([a-z]+)`").Groups[1].Value);

        Assert.Equal(VisibleCommands().Select(c => c.Name).Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void The_README_table_of_a_commands_options_lists_exactly_its_options(string name)
    {
        var command = VisibleCommands().Single(c => c.Name == name);
        var lines = Readme();
        var heading = Array.IndexOf(lines, $"The options of `{name}`:");
        Assert.True(heading >= 0, $"README.md has no \"The options of `{name}`:\" table");

        var documented = Table(lines[heading..], "| option | default | |")
            .SelectMany(r => OptionName().Matches(FirstCell().Match(r).Value).Select(m => m.Value));

        Assert.Equal(
            OptionsOf(command).Where(o => o.Name != "--help").Select(o => o.Name).Order(StringComparer.Ordinal),
            documented.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<Command> VisibleCommands() => OneHopCli.Create().Subcommands.Where(c => !c.Hidden);

    /// <summary>The command's own options and those it inherits (--help), as help shows them.</summary>
    private static IEnumerable<Option> OptionsOf(Command command) =>
        command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options.Where(o => o.Recursive))).Where(o => !o.Hidden);

    /// <summary>The option names in the first column of the help's Options section.</summary>
    private static IEnumerable<string> HelpRows(string help) =>
        help[help.IndexOf("Options:", StringComparison.Ordinal)..]
            .Split('\n')
            .Select(line => HelpRow().Match(line))
            .Where(m => m.Success)
            .SelectMany(m => m.Groups[1].Value.Split(", ").Select(alias => alias.Split(' ')[0]));

    /// <summary>The rows of the Markdown table whose header is <paramref name="header"/>, after its first occurrence.</summary>
    private static IEnumerable<string> Table(string[] lines, string header) =>
        lines.SkipWhile(l => l != header).Skip(2).TakeWhile(l => l.StartsWith('|'));

    private static string[] Readme() => File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));

    /// <summary>Help wraps long descriptions to the console's width: compare the words, not the line breaks.</summary>
    private static string Flatten(string text) => Whitespace().Replace(text, " ");

    [GeneratedRegex(@"--[a-z0-9][a-z0-9-]*")]
    private static partial Regex OptionName();

    /// <summary>An option row: two spaces, the option and its aliases (with an argument name), two or more spaces.</summary>
    [GeneratedRegex(@"^  (-\S.*?)(?:\s{2,}|$)")]
    private static partial Regex HelpRow();

    /// <summary>A Markdown table row's first cell; <c>\|</c> is a pipe inside it.</summary>
    [GeneratedRegex(@"^\|(?:[^|\\]|\\.)*")]
    private static partial Regex FirstCell();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
