using OneHop.Core.Configuration;
using OneHop.Core.Diagnostics;
using OneHop.Core.Sources.Config;

namespace OneHop.Cli;

/// <summary>Loads the config file at start-up: any error stops the command with every error printed.</summary>
internal static class ConfigFiles
{
    public static OneHopConfig? Load(FileInfo? file, TextWriter error)
    {
        if (file is null)
        {
            return OneHopConfig.Default;
        }

        var result = ConfigLoader.LoadFile(file.FullName);
        foreach (var diagnostic in result.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Info))
        {
            error.WriteLine(diagnostic);
        }

        if (result.Config is null)
        {
            error.WriteLine($"onehop: the config file {file.FullName} has errors; fix them and start again.");
        }

        return result.Config;
    }
}
