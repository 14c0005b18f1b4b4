namespace Degradation.Composition;

/// <summary>An alert sink added to a <see cref="DegradationSystemBuilder"/>, routed every alert once the runtime starts.</summary>
internal sealed record AlertSinkRegistration(IAlertSink Sink, string Name);
