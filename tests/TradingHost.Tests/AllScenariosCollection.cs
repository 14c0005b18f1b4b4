using Xunit;

namespace TradingHost.Tests;

/// <summary>Every test class that reads the one in-process run of all scenarios shares it (the run takes a while).</summary>
[CollectionDefinition(Name)]
public sealed class AllScenariosCollection : ICollectionFixture<AllScenariosFixture>
{
    public const string Name = "all scenarios";
}
