using YamlDotNet.Core;

namespace OneHop.Core.Sources.Manifests;

/// <summary>Well-formed YAML that OneHop still refuses: a repeated key, or nesting too deep.</summary>
internal sealed class YamlStructureException(Mark start, Mark end, string message) : YamlException(start, end, message);
