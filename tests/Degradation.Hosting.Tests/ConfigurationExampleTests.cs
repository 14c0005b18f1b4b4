using Degradation.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Degradation.Tests;

/// <summary>docs/appsettings.example.json is a configuration the hosting package accepts, and it means what it says.</summary>
public sealed class ConfigurationExampleTests
{
    [Fact]
    public async Task The_documented_example_binds_validates_and_starts()
    {
        var json = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "docs", "appsettings.example.json"));
        var builder = TestHosts.Builder(json);
        builder.Services.AddGracefulDegradation(builder.Configuration.GetSection(DegradationOptions.SectionName));
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var options = host.Services.GetRequiredService<IOptions<DegradationOptions>>().Value;
            Assert.Empty(options.Validate());
            Assert.False(options.Components["orderbook_ws"].Critical);
            Assert.Equal(SystemMode.Degraded, options.DecisionMatrix["venue.throttled"]);
            Assert.Contains(ActionType.Open, options.DeniedActions[SystemMode.Degraded]);
            Assert.Equal(TimeSpan.FromSeconds(15), options.Components["orderbook_ws"].StatusTtl);
            Assert.Equal([10, 20, 30, 60], options.Recovery.BackoffSchedule.Select(d => d.TotalSeconds));
            Assert.Equal(FeatureDegradationLevel.DegradedL2, options.FeatureLevels.ModeLevels[SystemMode.Degraded]);
            Assert.Equal(["pager", "chat"], options.AlertChannels.Routes.Select(r => r.Channel));
            Assert.Equal(TimeSpan.FromMinutes(5), options.AlertChannels.AcknowledgementSla[Severity.Critical]);
            Assert.Equal("pager", options.AlertChannels.EscalationChannel);
            var gate = host.Services.GetRequiredService<ITradingGate>();
            Assert.False(gate.Allows(ActionType.Send)); // cold start: nothing trades before the recovery run
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
