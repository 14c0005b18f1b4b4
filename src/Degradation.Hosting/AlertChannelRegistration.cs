namespace Degradation.Hosting;

/// <summary>A named alert channel registered with <see cref="GracefulDegradationBuilder.AddAlertChannel{TSink}"/>.</summary>
internal sealed record AlertChannelRegistration(string Name, Type SinkType);
