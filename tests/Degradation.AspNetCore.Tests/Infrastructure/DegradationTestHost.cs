using System.Net.Http.Headers;
using Degradation.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Degradation.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (free port) hosting a <see cref="DegradationSystem"/> on the system clock,
/// the test authentication scheme and the degradation endpoints at <c>/degradation</c>.
/// </summary>
public sealed class DegradationTestHost : IAsyncDisposable
{
    public const string Prefix = "/degradation";
    public const string Operator = "alice";
    public const string Viewer = "victor";
    public const string OperatorRole = DegradationEndpointOptions.DefaultOperatorRole;

    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private DegradationTestHost(WebApplication app, DegradationSystem system, Uri baseAddress, InMemoryAuditStore audit)
    {
        _app = app;
        System = system;
        BaseAddress = baseAddress;
        Audit = audit;
    }

    public DegradationSystem System { get; }
    public Uri BaseAddress { get; }
    public InMemoryAuditStore Audit { get; }
    public IServiceProvider Services => _app.Services;
    public Uri Dashboard => new(BaseAddress, Prefix + "/");

    /// <summary>Options that reach Normal at once once every critical component has reported and recovery passed.</summary>
    public static DegradationOptions FastOptions() => new()
    {
        Recovery = { StablePeriod = TimeSpan.Zero },
        SafeMode = { MinDwell = TimeSpan.Zero },
        Status = { ComponentTtl = TimeSpan.FromHours(1) },
        StateMachine = { TickInterval = TimeSpan.FromMilliseconds(50) },
        Components = { ["db"] = new ComponentOptions { Critical = false, Category = "storage", Fallback = "write-buffer" } },
    };

    public static async Task<DegradationTestHost> StartAsync(
        Action<DegradationEndpointOptions>? endpoints = null,
        Action<AuthorizationOptions>? authorization = null,
        bool bringUpToNormal = true,
        DegradationOptions? systemOptions = null,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel();
        var options = systemOptions ?? FastOptions();
        builder.Services.AddSingleton(_ => DegradationSystem.Create(options, TimeProvider.System));
        builder.Services.AddAuthentication(TestAuthHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
        if (authorization is null) builder.Services.AddAuthorization();
        else builder.Services.AddAuthorization(authorization);
        builder.Services.AddDegradationEndpoints();
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapDegradationEndpoints(Prefix, endpoints);
        map?.Invoke(app);
        await app.StartAsync();

        var system = app.Services.GetRequiredService<DegradationSystem>();
        var audit = new InMemoryAuditStore();
        system.StateMachine.AddAuditStore(audit);
        system.Start();
        var host = new DegradationTestHost(app, system, new Uri(app.Urls.Single()), audit);
        if (bringUpToNormal) await host.BringUpToNormalAsync();
        return host;
    }

    /// <summary>Every component reports, then the cold-start recovery run passes its stages; Normal follows at once.</summary>
    public async Task BringUpToNormalAsync()
    {
        foreach (var component in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk, ComponentId.Db, ComponentId.Alerts })
            System.Heartbeat(component);
        await System.Bus.DrainAsync();
        var run = System.StateMachine.ActiveRecoveryRun ?? throw new InvalidOperationException("No recovery run after cold start.");
        foreach (var stage in new[] { RecoveryStage.CatchupMarketData, RecoveryStage.VerifyRisk, RecoveryStage.Ready })
            if (!System.StateMachine.TryAdvanceStage(run, stage)) throw new InvalidOperationException($"Could not advance {run} to {stage}.");
        if (System.Gate.Mode != SystemMode.Normal)
            throw new InvalidOperationException($"Expected Normal after recovery, was {System.Gate.Mode}/{System.Gate.Stage}.");
        await System.StateMachine.FlushObserversAsync();
    }

    /// <summary>A client authenticated as <paramref name="user"/> with <paramref name="roles"/>; anonymous when user is null.</summary>
    public HttpClient Client(string? user = Operator, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(TestAuthHandler.UserHeader, user);
            if (roles.Length > 0) client.DefaultRequestHeaders.Add(TestAuthHandler.RolesHeader, string.Join(",", roles));
        }
        _clients.Add(client);
        return client;
    }

    public HttpClient OperatorClient() => Client(Operator, OperatorRole);

    public HttpClient ViewerClient() => Client(Viewer);

    public HttpClient AnonymousClient() => Client(null);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
