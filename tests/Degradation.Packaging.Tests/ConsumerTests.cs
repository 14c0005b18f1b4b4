using System.IO.Compression;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Degradation.Packaging.Tests;

/// <summary>
/// Restores a consumer project outside the solution from the packed feed (package references, not project
/// references), checks each package's contents and symbols, builds the README quick start and a minimal
/// AddGracefulDegradation() host, runs them and checks the gate's answers.
/// </summary>
[Collection(PackedFeedCollection.Name)]
public class ConsumerTests(PackedFeed packed, ITestOutputHelper output)
{
    [Fact]
    public void Packed_packages_restore_build_and_run_in_a_consumer_project()
    {
        Assert.DoesNotMatch(@"warning IL\d{4}", packed.PackOutput);
        var feed = packed.Feed;
        foreach (var package in PackedFeed.Packages)
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.0.1.0.nupkg")), $"{package}.0.1.0.nupkg was not produced:\n{packed.PackOutput}");
            Assert.True(File.Exists(Path.Combine(feed, $"{package}.0.1.0.snupkg")), $"{package}.0.1.0.snupkg was not produced");
            CheckPackage(Path.Combine(feed, $"{package}.0.1.0.nupkg"), package);
            CheckSymbols(Path.Combine(feed, $"{package}.0.1.0.snupkg"), package, packed.Commit);
        }

        var consumer = Path.Combine(packed.Work, "consumer");
        WriteConsumer(consumer);
        Run("dotnet", $"restore --packages \"{packed.PackagesFolder}\"", consumer, TimeSpan.FromMinutes(15));
        Run("dotnet", "build --no-restore -c Release", consumer, TimeSpan.FromMinutes(15));
        var result = Run("dotnet", "run --no-build -c Release", consumer, TimeSpan.FromMinutes(5));

        Assert.Contains("quickstart cold-start: Recovering/ConnectBroker send=False query=True", result);
        Assert.Contains("quickstart normal: send=True", result);
        Assert.Contains("quickstart after broker.disconnect: SafeModeDisconnected send=False cancel=False advice=rejected: broker disconnected", result);
        Assert.Contains("host gate from DI: Recovering send=False", result);
        Assert.Contains("host stopped cleanly", result);
    }

    private string Run(string file, string args, string cwd, TimeSpan? timeout = null)
    {
        output.WriteLine($"$ {file} {args}");
        var text = packed.Run(file, args, cwd, timeout);
        output.WriteLine(text.Length > 6000 ? text[^6000..] : text);
        return text;
    }

    private static void CheckPackage(string nupkg, string package)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var nuspec = XDocument.Load(stream);
        XNamespace ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal(package, metadata.Element(ns + "id")!.Value);
        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "tags")?.Value));
        Assert.NotNull(metadata.Element(ns + "repository"));
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName == "LICENSE");
        Assert.Equal("package-icon.png", metadata.Element(ns + "icon")?.Value);
        Assert.Contains(zip.Entries, e => e.FullName == "package-icon.png");
        Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{package}.dll");
        Assert.Contains(zip.Entries, e => e.FullName == $"lib/net10.0/{package}.xml");
    }

    /// <summary>
    /// The symbol package's PDB carries Source Link data pointing at the packed commit, and the sources themselves.
    /// </summary>
    private static void CheckSymbols(string snupkg, string package, string commit)
    {
        using var zip = ZipFile.OpenRead(snupkg);
        var entry = zip.Entries.Single(e => e.FullName == $"lib/net10.0/{package}.pdb");
        using var pdb = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(pdb);
        pdb.Position = 0;
        using var provider = System.Reflection.Metadata.MetadataReaderProvider.FromPortablePdbStream(pdb);
        var reader = provider.GetMetadataReader();
        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        var embeddedSourceKind = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
        string? sourceLink = null;
        var embeddedSources = 0;
        foreach (var handle in reader.CustomDebugInformation)
        {
            var info = reader.GetCustomDebugInformation(handle);
            var kind = reader.GetGuid(info.Kind);
            if (kind == sourceLinkKind) sourceLink = System.Text.Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
            else if (kind == embeddedSourceKind) embeddedSources++;
        }
        Assert.True(sourceLink is not null, $"{package}.pdb has no Source Link data");
        Assert.Contains($"https://raw.githubusercontent.com/degradation-core/Degradation.Core/{commit}/", sourceLink);
        Assert.True(embeddedSources > 0, $"{package}.pdb embeds no sources");
    }

    private void WriteConsumer(string directory)
    {
        packed.WriteNuGetConfig(directory);
        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Degradation.Core" Version="0.1.0" />
                <PackageReference Include="Degradation.Hosting" Version="0.1.0" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.14" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), """
            using Degradation;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            // README quick start
            await using (var system = DegradationSystem.Create(new DegradationOptions { Recovery = { StablePeriod = TimeSpan.Zero } }))
            {
                Console.WriteLine($"quickstart cold-start: {system.Gate.Mode}/{system.Gate.Stage} send={system.Gate.Allows(ActionType.Send)} query={system.Gate.Allows(ActionType.Query)}");
                system.Start();
                foreach (var c in new[] { ComponentId.Broker, ComponentId.MarketData, ComponentId.Risk }) system.Heartbeat(c);
                while (system.Bus.PendingCount > 0) await Task.Delay(1);
                var run = system.StateMachine.ActiveRecoveryRun!.Value;
                system.StateMachine.TryAdvanceStage(run, RecoveryStage.CatchupMarketData);
                system.StateMachine.TryAdvanceStage(run, RecoveryStage.VerifyRisk);
                system.StateMachine.TryAdvanceStage(run, RecoveryStage.Ready);
                Console.WriteLine($"quickstart normal: send={system.Gate.Allows(ActionType.Send)} mode={system.Gate.Mode}");
                system.ReportFailure(ComponentId.Broker, ReasonCode.BrokerDisconnect);
                var cancel = system.Gate.Check(ActionType.Cancel);
                Console.WriteLine($"quickstart after broker.disconnect: {system.Gate.Mode} send={system.Gate.Allows(ActionType.Send)} cancel={cancel.Allowed} advice={cancel.Advice}");
            }

            // Minimal host
            var builder = Host.CreateApplicationBuilder(args);
            builder.Services.AddGracefulDegradation(o => o.SafeMode.MinDwell = TimeSpan.FromSeconds(30));
            using var host = builder.Build();
            await host.StartAsync();
            var gate = host.Services.GetRequiredService<ITradingGate>();
            Console.WriteLine($"host gate from DI: {gate.Mode} send={gate.Allows(ActionType.Send)}");
            await host.StopAsync();
            Console.WriteLine("host stopped cleanly");
            """);
    }
}
