using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace KubeApiTestServer;

/// <summary>
/// A failure the test API server answers with a <c>Status</c> object. Thrown by the direct C# API of
/// <see cref="KubeApiServer"/> for the same conditions that give an HTTP error over the wire.
/// </summary>
public sealed class KubeApiException : Exception
{
    private readonly JsonObject _status;

    public KubeApiException()
        : this("Internal error")
    {
    }

    public KubeApiException(string message)
        : this(message, null)
    {
    }

    public KubeApiException(string message, Exception? innerException)
        : base(message, innerException) =>
        _status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = "InternalError",
            ["code"] = 500,
        };

    internal KubeApiException(JsonObject status)
        : base((string?)status["message"] ?? "")
    {
        _status = status;
    }

    /// <summary>The HTTP status code, repeated in the Status object's <c>code</c>.</summary>
    public int Code => (int?)_status["code"] ?? 500;

    /// <summary>The Status reason, e.g. <c>NotFound</c>, <c>Conflict</c>, <c>Invalid</c>.</summary>
    public string Reason => (string?)_status["reason"] ?? "";

    /// <summary>The Status object as KubernetesClient sees it.</summary>
    public V1Status Status => KubernetesJson.Deserialize<V1Status>(_status.ToJsonString());

    /// <summary>A copy of the Status object as JSON.</summary>
    internal JsonObject StatusJson => (JsonObject)_status.DeepClone();
}
