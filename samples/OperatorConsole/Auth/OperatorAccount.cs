namespace OperatorConsole.Auth;

/// <summary>One development credential: a name, an API key, and roles.</summary>
public sealed class OperatorAccount
{
    public string Name { get; set; } = "";
    public string ApiKey { get; set; } = "";
    public List<string> Roles { get; set; } = [];
}
