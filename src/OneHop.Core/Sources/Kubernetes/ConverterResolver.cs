using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OneHop.Core.Sources.Kubernetes;

/// <summary>
/// JSON metadata for types read and written by a converter of their own: a converter in the options alone is not
/// enough without reflection, since some resolver must still hand out the type's <see cref="JsonTypeInfo"/>.
/// </summary>
internal sealed class ConverterResolver : IJsonTypeInfoResolver
{
    private readonly FrozenDictionary<Type, Func<JsonSerializerOptions, JsonTypeInfo>> _infos;

    public ConverterResolver(IEnumerable<KeyValuePair<Type, Func<JsonSerializerOptions, JsonTypeInfo>>> infos)
    {
        _infos = infos.ToFrozenDictionary();
    }

    /// <summary>The entry for <typeparamref name="T"/>, read and written by <paramref name="converter"/>.</summary>
    public static KeyValuePair<Type, Func<JsonSerializerOptions, JsonTypeInfo>> For<T>(JsonConverter<T> converter) =>
        new(typeof(T), options => JsonMetadataServices.CreateValueInfo<T>(options, converter));

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        _infos.TryGetValue(type, out var create) ? create(options) : null;
}
