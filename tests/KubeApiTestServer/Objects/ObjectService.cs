using System.Text.Json.Nodes;
using KubeApiTestServer.Json;
using KubeApiTestServer.Resources;
using KubeApiTestServer.Storage;

namespace KubeApiTestServer.Objects;

/// <summary>
/// The registry semantics of contract section 5 over the store: create, replace, status replace and delete,
/// with the real status codes and messages. Both the HTTP handlers and the direct C# API go through it.
/// </summary>
internal sealed class ObjectService(ObjectStore store, ServerKnobs knobs, TimeProvider timeProvider)
{
    public StoredObject Get(ResourceKind kind, string ns, string name) =>
        store.Get(kind, Key(kind, ns, name)) ?? throw Statuses.NotFound(kind, name);

    /// <summary>POST: 201 with the stored object, or 409 AlreadyExists, 422 Invalid, 400 BadRequest.</summary>
    public StoredObject Create(ResourceKind kind, string ns, JsonObject body, bool rejectResourceVersion)
    {
        ObjectRules.CheckTypeMeta(kind, body);
        var metadata = JsonObjects.Metadata(body);
        ObjectRules.ApplyNamespace(kind, metadata, ns);
        if (rejectResourceVersion && !string.IsNullOrEmpty((string?)(metadata["resourceVersion"] as JsonValue)))
        {
            throw Statuses.Failure(500, "InternalError", "resourceVersion should not be set on objects to be created");
        }

        ObjectRules.GenerateName(metadata, store.CurrentResourceVersion + 1);
        var name = ObjectRules.Name(metadata) ?? "";
        ObjectDefaults.Apply(kind, body);
        Validate(kind, name, body, null);
        if (ReferenceEquals(kind, ResourceKinds.Ingress) && knobs.EmulateDefaultIngressClass)
        {
            IngressClassAdmission.Admit(store, body, name);
        }

        return store.Write(kind, Key(kind, ns, name), (current, rv) =>
        {
            if (current is not null)
            {
                throw Statuses.AlreadyExists(kind, name);
            }

            return PrepareCreate(kind, body, rv);
        });
    }

    /// <summary>
    /// PUT: optimistic concurrency on <c>metadata.resourceVersion</c> (409 Conflict), 422 when the kind needs an RV
    /// and none is given (unless <paramref name="allowUnconditional"/>), create-on-update for Lease, and the
    /// status of kinds with a status subresource kept. Returns the object and whether it was created.
    /// </summary>
    public (StoredObject Stored, bool Created) Replace(
        ResourceKind kind, string ns, string name, JsonObject body, bool allowUnconditional = false)
    {
        ObjectRules.CheckTypeMeta(kind, body);
        var metadata = JsonObjects.Metadata(body);
        ObjectRules.ApplyNamespace(kind, metadata, ns);
        var bodyName = ObjectRules.Name(metadata) ?? "";
        if (bodyName != name)
        {
            throw Statuses.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        ObjectDefaults.Apply(kind, body);
        var created = false;
        var stored = store.Write(kind, Key(kind, ns, name), (current, rv) =>
        {
            if (current is null)
            {
                if (!kind.AllowCreateOnUpdate)
                {
                    throw Statuses.NotFound(kind, name);
                }

                Validate(kind, name, body, null);
                created = true;
                return PrepareCreate(kind, body, rv);
            }

            CheckResourceVersion(kind, name, metadata, current, allowUnconditional || kind.AllowUnconditionalUpdate);
            var old = JsonObjects.ToNode(current.Json);
            Validate(kind, name, body, old);
            if (kind.HasStatusSubresource)
            {
                body.Remove("status");
                if (old["status"] is { } status)
                {
                    body["status"] = status.DeepClone();
                }
            }

            ObjectRules.StampUpdate(kind, body, old);
            return body;
        });
        return (stored, created);
    }

    /// <summary>
    /// PUT on <c>/status</c>: replaces only <c>status</c>; spec and metadata stay as stored. Without a resourceVersion
    /// it is 422 for kinds that need one on every update (custom resources), unless <paramref name="allowUnconditional"/>.
    /// </summary>
    public StoredObject ReplaceStatus(ResourceKind kind, string ns, string name, JsonObject body, bool allowUnconditional = false)
    {
        ObjectRules.CheckTypeMeta(kind, body);
        var metadata = JsonObjects.Metadata(body);
        ObjectRules.ApplyNamespace(kind, metadata, ns);
        var bodyName = ObjectRules.Name(metadata) ?? "";
        if (bodyName != name)
        {
            throw Statuses.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        return store.Write(kind, Key(kind, ns, name), (current, _) =>
        {
            if (current is null)
            {
                throw Statuses.NotFound(kind, name);
            }

            CheckResourceVersion(kind, name, metadata, current, allowUnconditional || kind.AllowUnconditionalUpdate);
            var updated = JsonObjects.ToNode(current.Json);
            updated.Remove("status");
            if (body["status"] is { } status)
            {
                updated["status"] = status.DeepClone();
            }

            return updated;
        });
    }

    /// <summary>DELETE: honours the uid and resourceVersion preconditions of a DeleteOptions body (409 when they differ).</summary>
    public StoredObject Delete(ResourceKind kind, string ns, string name, JsonObject? deleteOptions)
    {
        var preconditions = deleteOptions?["preconditions"] as JsonObject;
        var uid = (string?)(preconditions?["uid"] as JsonValue);
        var resourceVersion = (string?)(preconditions?["resourceVersion"] as JsonValue);
        return store.Remove(kind, Key(kind, ns, name), current =>
        {
            var currentUid = JsonObjects.GetString(current.Json, "metadata", "uid") ?? "";
            if (uid is not null && uid != currentUid)
            {
                throw Statuses.Conflict(
                    kind, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {currentUid}");
            }

            var currentRv = JsonObjects.FormatRv(current.ResourceVersion);
            if (resourceVersion is not null && resourceVersion != currentRv)
            {
                throw Statuses.Conflict(
                    kind,
                    name,
                    $"Precondition failed: ResourceVersion in precondition: {resourceVersion}, ResourceVersion in object meta: {currentRv}");
            }
        });
    }

    public static ObjectKey Key(ResourceKind kind, string ns, string name) => new(kind.Namespaced ? ns : "", name);

    private static void CheckResourceVersion(
        ResourceKind kind, string name, JsonObject metadata, StoredObject current, bool allowUnconditional)
    {
        var given = (string?)(metadata["resourceVersion"] as JsonValue);
        if (string.IsNullOrEmpty(given))
        {
            if (!allowUnconditional)
            {
                throw Statuses.Invalid(
                    kind,
                    name,
                    [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }

            return;
        }

        if (given != JsonObjects.FormatRv(current.ResourceVersion))
        {
            throw Statuses.Conflict(
                kind, name, "the object has been modified; please apply your changes to the latest version and try again");
        }
    }

    private static void Validate(ResourceKind kind, string name, JsonObject body, JsonObject? previous)
    {
        var errors = new List<FieldError>();
        if (previous is null)
        {
            ObjectRules.ValidateName(name, errors);
        }

        ObjectDefaults.Validate(kind, body, previous, errors);
        if (errors.Count > 0)
        {
            throw Statuses.Invalid(kind, name, errors);
        }
    }

    private JsonObject PrepareCreate(ResourceKind kind, JsonObject body, long resourceVersion)
    {
        ObjectRules.StampCreate(kind, JsonObjects.Metadata(body), resourceVersion, timeProvider.GetUtcNow());
        if (kind.HasStatusSubresource)
        {
            body.Remove("status");
        }

        return body;
    }
}
