using System.Collections.Immutable;
using System.Text.Json;
using k8s;
using k8s.Models;
using OneHop.Core.Diagnostics;
using OneHop.Core.State;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OneHop.Core.Sources.Manifests;

/// <summary>
/// Reads the Kubernetes objects of one manifest file: multi-document YAML, JSON, and <c>kind: List</c>.
/// Pure: text in, objects and diagnostics out. Objects are deserialized by KubernetesClient itself.
/// </summary>
internal static class ManifestParser
{
    public const string SourceName = "manifests";

    public static bool IsManifestFile(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith('.'))
        {
            return false;
        }

        var ext = Path.GetExtension(name);
        return ext.Equals(".yaml", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".yml", StringComparison.OrdinalIgnoreCase)
            || ext.Equals(".json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads a manifest. YAML objects are read through their JSON form (<see cref="YamlJson"/>) in both builds: Native
    /// AOT cannot start KubernetesClient's KubernetesYaml, and the JIT build saves the ~20 MiB its static constructor holds.
    /// </summary>
    public static ManifestParseResult Parse(string file, string content) => Parse(file, content, yamlThroughJson: true);

    /// <summary>
    /// As <see cref="Parse(string, string)"/>; <paramref name="yamlThroughJson"/> false reads YAML objects with
    /// KubernetesYaml instead, the reference the tests hold the JSON path to.
    /// </summary>
    internal static ManifestParseResult Parse(string file, string content, bool yamlThroughJson)
    {
        var reader = new Reader(file, yamlThroughJson);
        if (Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            reader.ReadJson(content);
        }
        else
        {
            reader.ReadYaml(content);
        }

        return reader.Result();
    }

    private sealed class Reader(string file, bool yamlThroughJson)
    {
        private readonly ImmutableArray<ParsedObject>.Builder _objects = ImmutableArray.CreateBuilder<ParsedObject>();
        private readonly ImmutableArray<SkippedDocument>.Builder _skipped = ImmutableArray.CreateBuilder<SkippedDocument>();
        private readonly ImmutableArray<Diagnostic>.Builder _diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();

        public ManifestParseResult Result() => new(_objects.ToImmutable(), _skipped.ToImmutable(), _diagnostics.ToImmutable());

        public void ReadYaml(string content)
        {
            // Numbered from 1 as an editor counts them, empty documents included.
            var document = 1;
            var parser = new Parser(new StringReader(content));
            try
            {
                YamlCharacters.Check(content);
                parser.Consume<StreamStart>();
                while (parser.Accept<DocumentStart>(out _))
                {
                    parser.MoveNext();
                    var node = YamlNode.Read(parser);
                    parser.Consume<DocumentEnd>();
                    if (!node.IsEmptyScalar)
                    {
                        ReadYamlDocument(node, document);
                    }

                    document++;
                }
            }
            catch (YamlStructureException ex)
            {
                _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ParseError, ex.Message.Split("): ", 2)[^1], origin: Origin(document, ex.Start)));
            }
            catch (YamlException ex)
            {
                _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ParseError, $"YAML syntax error: {Innermost(ex)}", origin: Origin(document, ex.Start)));
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner throws this (not a YamlException) on some malformed flow collections; the place is
                // the end of the last event it read, near the mistake.
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.ParseError,
                    "YAML syntax error: malformed flow collection or scalar (check {, [ and quotes)",
                    origin: parser.Current?.End is { } near ? Origin(document, near) : Origin(document, null)));
            }
        }

        public void ReadJson(string content)
        {
            JsonDocument json;
            try
            {
                // As for YAML: a repeated property is refused rather than silently replacing the first.
                json = JsonDocument.Parse(content, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = YamlStructure.MaxDepth });
            }
            catch (JsonException ex)
            {
                var line = (int?)(ex.LineNumber + 1);
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.ParseError,
                    $"JSON syntax error at line {line}: {FirstSentence(ex.Message)}",
                    origin: Origin(1, line)));
                return;
            }

            using (json)
            {
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ParseError, "a JSON manifest must hold one object or a List", origin: Origin(1, null)));
                    return;
                }

                var (apiVersion, kind) = (StringProperty(root, "apiVersion"), StringProperty(root, "kind"));
                if (apiVersion is not null && kind is not null && IsList(apiVersion, kind))
                {
                    if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
                    {
                        _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidObject, "a List needs an items array", origin: Origin(1, null), field: "items"));
                        return;
                    }

                    var i = 0;
                    foreach (var item in items.EnumerateArray())
                    {
                        ReadJsonObject(item, Origin(1, null), $"items[{i}]");
                        i++;
                    }

                    return;
                }

                ReadJsonObject(root, Origin(1, null), null);
            }
        }

        private void ReadYamlDocument(YamlNode node, int document)
        {
            var origin = Origin(document, (int)node.Start.Line);
            if (node.ScalarValue("kind") is { } kind && node.ScalarValue("apiVersion") is { } apiVersion
                && IsList(apiVersion, kind))
            {
                var items = node.SequenceItems("items");
                if (items is null)
                {
                    _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidObject, "a List needs an items sequence", origin: origin, field: "items"));
                    return;
                }

                for (var i = 0; i < items.Count; i++)
                {
                    ReadYamlObject(items[i], Origin(document, (int)items[i].Start.Line), $"items[{i}]");
                }

                return;
            }

            ReadYamlObject(node, origin, null);
        }

        private void ReadYamlObject(YamlNode node, ObjectOrigin origin, string? fieldPrefix)
        {
            var kind = Identify(node.ScalarValue("apiVersion"), node.ScalarValue("kind"), node.ScalarValue("name"), origin, fieldPrefix);
            if (kind is null)
            {
                return;
            }

            IKubernetesObject<V1ObjectMeta> obj;
            try
            {
                obj = yamlThroughJson ? kind.FromYamlJson(node.ToJson()) : kind.FromYaml(node.ToYaml());
            }
            catch (YamlException ex) when (yamlThroughJson)
            {
                // YamlJson's own refusals (an alias without its anchor, a merge key on a scalar) point into this file.
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidObject,
                    $"{kind.Name} cannot be read: {Innermost(ex)}",
                    origin: origin with { Line = (int)ex.Start.Line },
                    field: Prefixed(fieldPrefix, node.PathAt(ex.Start))));
                return;
            }
            catch (Exception ex) when (yamlThroughJson && ex is not OutOfMemoryException)
            {
                var path = JsonPath(ex);
                var found = path is null ? null : node.Find(path);
                var reason = FirstSentence(ex.Message);
                if (found is { Scalar: { } text } && reason.StartsWith(JsonValue, StringComparison.Ordinal))
                {
                    // "The JSON value could not be converted to System.Int32": this file is YAML; say which value.
                    reason = $"the value '{text}'{reason[JsonValue.Length..]}";
                }

                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidObject,
                    $"{kind.Name} cannot be read: {reason}",
                    origin: found is { Line: var line } ? origin with { Line = line } : origin,
                    field: Prefixed(fieldPrefix, Field(path))));
                return;
            }
            catch (Exception ex) when (ex is not YamlException and not OutOfMemoryException)
            {
                _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidObject, $"{kind.Name} cannot be read: {Innermost(ex)}", origin: origin, field: fieldPrefix));
                return;
            }
            catch (YamlException ex)
            {
                var (path, line) = node.Locate(ex.Start);
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidObject,
                    $"{kind.Name} cannot be read: {Innermost(ex)}",
                    origin: line is { } l ? origin with { Line = l } : origin,
                    field: Prefixed(fieldPrefix, path)));
                return;
            }

            Accept(kind, obj, origin, fieldPrefix);
        }

        private void ReadJsonObject(JsonElement element, ObjectOrigin origin, string? fieldPrefix)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                _diagnostics.Add(Diagnostic.Error(DiagnosticCodes.InvalidObject, "expected an object", origin: origin, field: fieldPrefix));
                return;
            }

            var name = element.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                ? StringProperty(meta, "name")
                : null;
            var kind = Identify(StringProperty(element, "apiVersion"), StringProperty(element, "kind"), name, origin, fieldPrefix);
            if (kind is null)
            {
                return;
            }

            IKubernetesObject<V1ObjectMeta> obj;
            try
            {
                obj = kind.FromJson(element.GetRawText());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidObject,
                    $"{kind.Name} cannot be read: {FirstSentence(ex.Message)}",
                    origin: origin,
                    field: Prefixed(fieldPrefix, Field(JsonPath(ex)))));
                return;
            }

            Accept(kind, obj, origin, fieldPrefix);
        }

        private KubeKind? Identify(string? apiVersion, string? kind, string? name, ObjectOrigin origin, string? fieldPrefix)
        {
            if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind))
            {
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidObject,
                    "every document needs apiVersion and kind",
                    origin: origin,
                    field: Prefixed(fieldPrefix, string.IsNullOrEmpty(apiVersion) ? "apiVersion" : "kind")));
                return null;
            }

            var known = KindRegistry.Find(apiVersion, kind);
            if (known is not null)
            {
                return known;
            }

            if (KindRegistry.All.FirstOrDefault(k => k.Name == kind)?.ApiVersion is { } supportedVersion)
            {
                _diagnostics.Add(Diagnostic.Warning(
                    DiagnosticCodes.UnsupportedKind,
                    $"{apiVersion} {kind} is not read; OneHop reads {kind} from {supportedVersion}",
                    origin: origin,
                    field: Prefixed(fieldPrefix, "apiVersion")));
            }
            else
            {
                _skipped.Add(new SkippedDocument(apiVersion, kind, name, origin));
            }

            return null;
        }

        private void Accept(KubeKind kind, IKubernetesObject<V1ObjectMeta> obj, ObjectOrigin origin, string? fieldPrefix)
        {
            var metadata = obj.Metadata;
            if (metadata is null || string.IsNullOrEmpty(metadata.Name))
            {
                _diagnostics.Add(Diagnostic.Error(
                    DiagnosticCodes.InvalidObject,
                    $"{kind.Name} has no metadata.name",
                    origin: origin,
                    field: Prefixed(fieldPrefix, "metadata.name")));
                return;
            }

            if (kind.Skips(obj) is { } what)
            {
                _skipped.Add(new SkippedDocument(kind.ApiVersion, what, metadata.Name, origin));
                return;
            }

            if (obj is V1Secret { StringData.Count: > 0 } withStrings)
            {
                // As the API server does: stringData is merged into data and never kept.
                withStrings.Data ??= new Dictionary<string, byte[]>();
                foreach (var (key, value) in withStrings.StringData)
                {
                    withStrings.Data[key] = System.Text.Encoding.UTF8.GetBytes(value);
                }

                withStrings.StringData = null;
            }

            // Like kubectl apply: namespaced objects without a namespace land in "default".
            metadata.NamespaceProperty = kind.ClusterScoped
                ? null
                : string.IsNullOrEmpty(metadata.NamespaceProperty) ? "default" : metadata.NamespaceProperty;
            obj.ApiVersion ??= kind.ApiVersion;
            obj.Kind ??= kind.Name;
            _objects.Add(new ParsedObject(obj, origin));
        }

        private ObjectOrigin Origin(int document, int? line) => new(SourceName, file, document, line);

        /// <summary>Where a syntax error is: its line and column, in the diagnostic's origin rather than its message.</summary>
        private ObjectOrigin Origin(int document, Mark mark) => new(SourceName, file, document, (int)mark.Line, (int)mark.Column);

        private static bool IsList(string apiVersion, string kind) => apiVersion == "v1" && kind == "List";

        private const string JsonValue = "The JSON value";

        /// <summary>
        /// Where KubernetesJson's reading failed, as System.Text.Json names it (<c>$.spec.ports[0].port</c>). It throws
        /// more than JsonException: NotSupportedException when a field such as an IntOrString holds an object or a
        /// list, FormatException for a timestamp that is not RFC 3339, with the path only in the message.
        /// </summary>
        private static string? JsonPath(Exception ex) => (ex as JsonException ?? ex.InnerException as JsonException)?.Path ?? PathOf(ex.Message);

        /// <summary>A JSON path as a diagnostic's field: <c>spec.ports[0].port</c>.</summary>
        private static string? Field(string? jsonPath) =>
            jsonPath is { } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : jsonPath;

        private static string? PathOf(string message) =>
            message.IndexOf(" Path: ", StringComparison.Ordinal) is var at and >= 0 ? message[(at + 7)..].Split(' ', 2)[0].TrimEnd('.', '|', ' ') : null;

        private static string? StringProperty(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string? Prefixed(string? prefix, string? path) =>
            prefix is null ? path : path is null ? prefix : $"{prefix}.{path}";

        private static string Innermost(Exception ex)
        {
            while (ex.InnerException is not null)
            {
                ex = ex.InnerException;
            }

            return ex is YamlException y ? y.Message.Split("): ", 2)[^1] : ex.Message;
        }

        private static string FirstSentence(string message)
        {
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return cut > 0 ? message[..cut] : message;
        }
    }
}
