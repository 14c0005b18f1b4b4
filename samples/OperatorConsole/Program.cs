using OperatorConsole;

// --help, and errors naming a bad option, before the host is built (the host reads the same arguments).
if (!ConsoleCommandLine.TryParse(args, Console.Out, Console.Error, out var exitCode)) return exitCode;

var app = OperatorConsoleApp.Build(args);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    app.Environment.IsDevelopment()
        ? "Operator console: dashboard at {Dashboard}; sign in at /login with alice-dev-key (operator) or victor-dev-key (read-only), or send X-Api-Key"
        : "Operator console: dashboard at {Dashboard}; sign in at /login with a configured operator key, or send X-Api-Key",
    string.Join(", ", app.Urls.Select(u => u.TrimEnd('/') + OperatorConsoleApp.DashboardPath))));
app.Run();
return 0;
