namespace OneHop.IntegrationTests.Support;

/// <summary>
/// Tests that start OneHops with tracing on run one after another (in parallel with every other test): each instance's
/// OpenTelemetry provider listens to OneHop's ActivitySource by name, process-wide, so a test's exporter would also
/// collect the spans of another test's requests made at the same time.
/// </summary>
[CollectionDefinition(nameof(TraceListeners))]
public sealed class TraceListeners;
