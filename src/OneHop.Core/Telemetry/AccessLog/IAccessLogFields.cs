namespace OneHop.Core.Telemetry.AccessLog;

/// <summary>Where a record writes its fields: the JSON and the text encoder take the same calls, so both formats say the same.</summary>
internal interface IAccessLogFields
{
    /// <summary>A string field; null values are left out.</summary>
    void String(string name, string? value);

    void Number(string name, long value);

    /// <summary>Seconds, written with microsecond precision.</summary>
    void Seconds(string name, double value);
}
