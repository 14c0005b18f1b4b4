using Degradation.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Degradation.Tests.Infrastructure;

namespace Degradation.Tests.Api;

public sealed class MappingTests
{
    private static WebApplication Build(Action<IServiceCollection> services)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        services(builder.Services);
        return builder.Build();
    }

    private static void Complete(IServiceCollection services)
    {
        services.AddSingleton(_ => DegradationSystem.Create(DegradationTestHost.FastOptions(), TimeProvider.System));
        services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddDegradationEndpoints();
    }

    [Theory]
    [InlineData(nameof(DegradationEndpointOptions.MaxBodyBytes))]
    [InlineData(nameof(DegradationEndpointOptions.MaxHistoryPageSize))]
    [InlineData(nameof(DegradationEndpointOptions.OperatorRole))]
    [InlineData(nameof(DegradationEndpointOptions.WritePolicy))]
    [InlineData(nameof(DegradationEndpointOptions.EventStreamKeepAlive))]
    public async Task Invalid_options_fail_at_mapping_naming_the_option(string option)
    {
        await using var app = Build(Complete);
        var error = Assert.Throws<OptionsValidationException>(() => app.MapDegradationEndpoints("/degradation", o =>
        {
            switch (option)
            {
                case nameof(o.MaxBodyBytes): o.MaxBodyBytes = 0; break;
                case nameof(o.MaxHistoryPageSize): o.MaxHistoryPageSize = 10; o.DefaultHistoryPageSize = 20; break;
                case nameof(o.OperatorRole): o.OperatorRole = " "; break;
                case nameof(o.WritePolicy): o.WritePolicy = ""; break;
                case nameof(o.EventStreamKeepAlive): o.EventStreamKeepAlive = TimeSpan.Zero; break;
            }
        }));
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public async Task Mapping_without_a_registered_system_fails_with_a_clear_message()
    {
        await using var app = Build(s => { s.AddAuthentication(); s.AddAuthorization(); });
        var error = Assert.Throws<InvalidOperationException>(() => app.MapDegradationEndpoints());
        Assert.Contains("DegradationSystem", error.Message);
    }

    [Fact]
    public async Task Mapping_without_authorization_fails_because_writes_must_be_authorized()
    {
        await using var app = Build(s => s.AddSingleton(_ => DegradationSystem.Create()));
        var error = Assert.Throws<InvalidOperationException>(() => app.MapDegradationEndpoints());
        Assert.Contains("AddAuthorization", error.Message);
    }

    [Fact]
    public async Task Mapping_without_the_endpoint_services_fails_naming_the_call_that_registers_them()
    {
        await using var app = Build(s =>
        {
            s.AddSingleton(_ => DegradationSystem.Create(DegradationTestHost.FastOptions(), TimeProvider.System));
            s.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
            s.AddAuthorization();
        });
        var error = Assert.Throws<InvalidOperationException>(() => app.MapDegradationEndpoints());
        Assert.Contains("AddDegradationEndpoints", error.Message);
    }

    [Theory]
    [InlineData("logout")]
    [InlineData("//evil.example/logout")]
    [InlineData("/log out")]
    public async Task A_logout_path_must_be_local(string path)
    {
        await using var app = Build(Complete);
        var error = Assert.Throws<OptionsValidationException>(() => app.MapDegradationEndpoints("/degradation", o => o.LogoutPath = path));
        Assert.Contains(nameof(DegradationEndpointOptions.LogoutPath), error.Message);
    }

    [Fact]
    public async Task The_prefix_must_be_rooted()
    {
        await using var app = Build(Complete);
        Assert.Throws<ArgumentException>(() => app.MapDegradationEndpoints("degradation"));
    }
}
