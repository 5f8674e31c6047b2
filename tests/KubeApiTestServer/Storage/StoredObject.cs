using System.Text.Json;

namespace KubeApiTestServer.Storage;

/// <summary>An immutable stored object: its key, the RV of its last change, and its JSON with kind and apiVersion.</summary>
internal sealed record StoredObject(ObjectKey Key, long ResourceVersion, JsonElement Json);
