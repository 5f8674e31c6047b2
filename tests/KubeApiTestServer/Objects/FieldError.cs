namespace KubeApiTestServer.Objects;

/// <summary>One field validation error, rendered the way apimachinery's <c>field.Error</c> renders it.</summary>
internal sealed record FieldError(string Field, string CauseReason, string Body)
{
    public static FieldError Invalid(string field, string valueText, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {valueText}: {detail}");

    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError Forbidden(string field, string detail) =>
        new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    public static FieldError NotSupported(string field, string value, params string[] supported) =>
        new(
            field,
            "FieldValueNotSupported",
            $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    /// <summary>Quotes like Go's <c>%q</c> for the plain strings that appear in messages.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public override string ToString() => $"{Field}: {Body}";
}
