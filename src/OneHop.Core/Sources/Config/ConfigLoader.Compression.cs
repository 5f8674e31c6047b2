using System.Collections.Immutable;
using OneHop.Core.Configuration.Compression;

namespace OneHop.Core.Sources.Config;

/// <summary>The <c>compression</c> section: the codings, levels and types every route's answers are compressed with.</summary>
internal static partial class ConfigLoader
{
    private sealed partial class Validator
    {
        private CompressionPolicy? Compression(CompressionDocument? doc)
        {
            if (doc is null)
            {
                return null;
            }

            var minLength = Size(doc.MinLength, "compression.minLength") ?? CompressionCoding.DefaultMinLength;
            var types = CompressibleTypes.Default;
            if (doc.Types is { } typeList)
            {
                if (typeList.Count == 0)
                {
                    Error("compression.types", "list at least one media type (text/html), a whole type (text/*) or *; leave the field out for OneHop's list");
                }

                foreach (var (type, _, field) in Items(typeList, "compression.types"))
                {
                    if (CompressibleTypes.Problem(type) is { } problem)
                    {
                        Error(field, problem);
                    }
                }

                types = CompressibleTypes.Of(typeList.OfType<string>());
            }

            UserAgentPatterns? disabledFor = null;
            if (doc.DisableForUserAgents is { Count: > 0 } agents)
            {
                disabledFor = UserAgentPatterns.Parse(Items(agents, "compression.disableForUserAgents").Select(a => a.Item), out var problem);
                if (problem is not null)
                {
                    Error("compression.disableForUserAgents", problem);
                }
            }

            var codings = ImmutableArray.CreateBuilder<CompressionCoding>();
            var names = doc.Codings ?? [CompressionCoding.Brotli, CompressionCoding.Gzip];
            if (names.Count == 0)
            {
                Error("compression.codings", "list br, gzip or both; leave the compression section out to compress nothing");
            }

            foreach (var (name, _, field) in Items(names, "compression.codings"))
            {
                if (CompressionCoding.MaxLevel(name) < 0)
                {
                    Error(field, $"'{name}' is not br or gzip");
                    continue;
                }

                if (codings.Any(c => c.Name == name))
                {
                    Error(field, $"{name} is listed twice");
                    continue;
                }

                var (level, levelField) = name == CompressionCoding.Gzip
                    ? (doc.GzipLevel ?? CompressionCoding.DefaultGzipLevel, "compression.gzipLevel")
                    : (doc.BrotliLevel ?? CompressionCoding.DefaultBrotliLevel, "compression.brotliLevel");
                if (level < CompressionCoding.MinLevel(name) || level > CompressionCoding.MaxLevel(name))
                {
                    Error(levelField, $"{level} is not a {name} level from {CompressionCoding.MinLevel(name)} to {CompressionCoding.MaxLevel(name)}");
                }

                codings.Add(new CompressionCoding(name, level, minLength, types) { DisabledFor = disabledFor });
            }

            return new CompressionPolicy(codings.ToImmutable());
        }
    }
}
