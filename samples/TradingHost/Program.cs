using System.Diagnostics;
using TradingHost;
using TradingHost.Reporting;
using TradingHost.Scenarios;

CommandLine command;
try
{
    command = CommandLine.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("Run with --help for the options.");
    return 2;
}
if (command.Help)
{
    CommandLine.WriteHelp();
    return 0;
}
if (command.List)
{
    foreach (var scenario in ScenarioRunner.All) Console.WriteLine($"{scenario.Name,-20} {scenario.Description}");
    return 0;
}

IReadOnlyList<Scenario> selected;
try
{
    selected = ScenarioRunner.Select(command.Scenarios);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
Console.WriteLine($"TradingHost: {selected.Count} scripted failure scenario(s) against Degradation.Core, simulated clock up to x{command.Speed:0.#}.");
Console.WriteLine("Each scenario starts a fresh host (cold start = recovery run), trades 500 gate-checked order decisions per simulated second, injects a fault.");
Console.WriteLine("The simulated clock waits for the work each of its steps sets off: a busy machine slows it down, never changes an outcome.");
Console.WriteLine("Times in [brackets] are simulated seconds since the scenario started trading.");
var clock = Stopwatch.StartNew();
IReadOnlyList<ScenarioResult> results;
try
{
    results = await ScenarioRunner.RunAsync(new RunnerOptions { Speed = command.Speed, Scenarios = command.Scenarios, Output = Console.Out }, cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
Console.WriteLine();
Console.Write(ReportWriter.Table(results));
Console.WriteLine($"total real time {clock.Elapsed.TotalSeconds:0.0} s");
if (command.JsonPath is { } path)
{
    await File.WriteAllTextAsync(path, ReportWriter.Json(results));
    Console.WriteLine($"report written to {path}");
}
if (command.HtmlPath is { } htmlPath)
{
    await File.WriteAllTextAsync(htmlPath, HtmlReportWriter.Render(results));
    Console.WriteLine($"HTML report written to {htmlPath}");
}
var failed = results.Count(r => !r.ExpectationMet);
Console.WriteLine(failed == 0 ? $"all {results.Count} scenarios met their expectations" : $"{failed} of {results.Count} scenarios did NOT meet their expectations");
return failed == 0 ? 0 : 1;
