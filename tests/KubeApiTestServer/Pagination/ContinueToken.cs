using System.Buffers.Text;
using System.Text.Json;

namespace KubeApiTestServer.Pagination;

/// <summary>
/// The real continue token: unpadded base64url of <c>{"v":"meta.k8s.io/v1","rv":RV,"start":"KEY"}</c>, where
/// KEY is the next storage key relative to the list prefix. An RV of -1 asks for the latest state (the
/// inconsistent continuation offered with a 410).
/// </summary>
internal sealed record ContinueToken(long ResourceVersion, string StartKey)
{
    private const string Version = "meta.k8s.io/v1";

    /// <summary>A token that resumes after <paramref name="lastKey"/>.</summary>
    public static ContinueToken After(long resourceVersion, string lastKey) => new(resourceVersion, lastKey + "\0");

    public string Encode()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("v", Version);
            writer.WriteNumber("rv", ResourceVersion);
            writer.WriteString("start", StartKey);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }

    /// <summary>Decodes a token, throwing <see cref="FormatException"/> with the real server's wording.</summary>
    public static ContinueToken Decode(string token)
    {
        byte[] data;
        try
        {
            data = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException e)
        {
            throw new FormatException($"continue key is not valid: {e.Message}", e);
        }

        string? version;
        long rv;
        string? start;
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("continue key is not valid: json: cannot unmarshal into Go value of type storage.continueToken");
            }

            version = root.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            rv = root.TryGetProperty("rv", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out var parsed) ? parsed : 0;
            start = root.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new FormatException($"continue key is not valid: {e.Message}", e);
        }

        if (version != Version)
        {
            throw new FormatException("continue key is not valid: server does not recognize this encoded version");
        }

        if (rv == 0)
        {
            throw new FormatException("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }

        if (string.IsNullOrEmpty(start))
        {
            throw new FormatException("continue key is not valid: encoded start key empty");
        }

        if (start.Split('/').Any(segment => segment is ".." or "."))
        {
            throw new FormatException("continue key is not valid: path traversal attempt");
        }

        return new ContinueToken(rv, start);
    }
}
