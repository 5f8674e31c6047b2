using System.Reflection;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using OneHop.IntegrationTests.Support;

namespace OneHop.IntegrationTests.Deploy;

/// <summary>
/// Reads every deploy/**/*.yaml strictly: a field the model of its kind does not have is an error, as the API
/// server's strict field validation (kubectl's default) makes it. Kinds without a model (the Prometheus Operator's
/// ServiceMonitor) are returned as their text, for the structural checks of <see cref="ServiceMonitorShape"/>.
/// </summary>
internal static partial class DeployManifests
{
    public static string Root { get; } = Path.Combine(RepositoryRoot.Path, "deploy");

    public static (IReadOnlyList<DeployObject> Models, IReadOnlyList<(string File, string Text)> Unmodelled) Load()
    {
        var models = new List<DeployObject>();
        var unmodelled = new List<(string, string)>();
        foreach (var file in Directory.EnumerateFiles(Root, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(RepositoryRoot.Path, file);
            var documents = Separator().Split(File.ReadAllText(file)).Where(d => d.Split('\n').Any(l => l.Length > 0 && !l.StartsWith('#'))).ToList();
            for (var i = 0; i < documents.Count; i++)
            {
                if (ApiVersion().Match(documents[i]) is { Success: true } version && version.Groups[1].Value.StartsWith("monitoring.coreos.com/", StringComparison.Ordinal))
                {
                    unmodelled.Add((relative, documents[i]));
                    continue;
                }

                models.Add(new DeployObject(relative, i, Parse(documents[i], $"{relative} document {i}")));
            }
        }

        return (models, unmodelled);
    }

    /// <summary>One document as its model, strictly; the reason names the file and document.</summary>
    public static object Parse(string yaml, string where)
    {
        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(yaml, strict: true);
        }
        catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidDataException($"{where}: {ex.Message} {ex.InnerException?.Message}", ex);
        }

        var model = Assert.Single(objects);
        var missing = MissingRequired(model, "").ToList();
        return missing.Count == 0 ? model : throw new InvalidDataException($"{where}: required field(s) missing: {string.Join(", ", missing)}");
    }

    /// <summary>
    /// Fields the API requires, as far as KubernetesClient's models say: a required number is a non-nullable property
    /// (left out, it reads as 0, which no required number here may be), a reference the model annotates non-null must
    /// be there. The models annotate few references (a container's name is not among them), so this catches mostly
    /// missing ports, counts and numbers.
    /// </summary>
    public static IEnumerable<string> MissingRequired(object model, string path)
    {
        var nullability = new NullabilityInfoContext();
        foreach (var property in model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = property.GetValue(model);
            var name = $"{path}.{JsonName(property)}";
            var required = property.PropertyType.IsValueType
                ? Nullable.GetUnderlyingType(property.PropertyType) is null
                : nullability.Create(property).ReadState == NullabilityState.NotNull;
            if (required && (value is null || (property.PropertyType.IsValueType && value.Equals(Activator.CreateInstance(property.PropertyType)))))
            {
                yield return name.TrimStart('.');
                continue;
            }

            foreach (var child in Children(value))
            {
                foreach (var missing in MissingRequired(child.Value, $"{name}{child.Suffix}"))
                {
                    yield return missing;
                }
            }
        }
    }

    private static IEnumerable<(string Suffix, object Value)> Children(object? value) => value switch
    {
        null or string => [],
        System.Collections.IDictionary => [],
        System.Collections.IEnumerable items => items.Cast<object>().Select((v, i) => ($"[{i}]", v)).Where(c => IsModel(c.v)),
        _ when IsModel(value) => [(string.Empty, value)],
        _ => [],
    };

    private static bool IsModel(object value) => value.GetType().Namespace == typeof(V1Pod).Namespace && !value.GetType().IsEnum && value is not IntOrString and not ResourceQuantity;

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? property.Name;

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex Separator();

    [GeneratedRegex(@"^apiVersion:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex ApiVersion();
}
