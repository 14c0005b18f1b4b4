namespace Degradation.Storage.Postgres;

/// <summary>
/// Options of a <see cref="PostgresFleetPolicy"/>.
/// <para>
/// Losing the policy channel: after <see cref="LossTimeout"/> without an answer from the database the process
/// reports <see cref="LossReason"/> on <see cref="Component"/> through <see cref="DegradationSystem.ReportFailure"/>,
/// and reports the component recovered once the channel answers again. What that does is decided by the
/// <see cref="DegradationOptions"/> the system was built with — see <see cref="RegisterLossHandling"/>:
/// by default the component is optional and the reason maps to <see cref="SystemMode.Degraded"/> (keep trading,
/// flagged); a firm that prefers to fail closed registers the component critical and maps the reason to
/// <see cref="SystemMode.SafeMode"/> (<c>RegisterLossHandling(options, SystemMode.SafeMode)</c>).
/// </para>
/// </summary>
public sealed class PostgresFleetPolicyOptions
{
    /// <summary>The default <see cref="Component"/>.</summary>
    public const string DefaultComponent = "fleet-policy";

    /// <summary>The default <see cref="LossReason"/>.</summary>
    public const string DefaultLossReason = "fleet.policy_lost";

    /// <summary>The default <see cref="Channel"/>.</summary>
    public const string DefaultChannel = "degradation_fleet";

    /// <summary>The schema holding <c>fleet_policy</c> (created by <see cref="PostgresSchema"/>).</summary>
    public string Schema { get; set; } = "public";

    /// <summary>The group this process belongs to (commands target the whole fleet or one group); null for none.</summary>
    public string? Group { get; set; }

    /// <summary>This process's id in <c>fleet_policy_applied</c> and in the listening connection's application name.</summary>
    public string ProcessId { get; set; } = ProcessIdentity.DefaultProcessId();

    /// <summary>This host's id in <c>fleet_policy_applied</c>.</summary>
    public string HostId { get; set; } = ProcessIdentity.DefaultHostId();

    /// <summary>The LISTEN/NOTIFY channel (a lower-case identifier). Issuers and listeners must agree.</summary>
    public string Channel { get; set; } = DefaultChannel;

    /// <summary>
    /// How often the listening connection proves it is alive (<c>SELECT 1</c> with <see cref="QueryTimeout"/>)
    /// when no command arrives. TCP keepalive alone misses half-open connections.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a heartbeat, a table read or a connection attempt may take before the connection counts as dead.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Without an answer from the database for this long, the process reports <see cref="LossReason"/>.</summary>
    public TimeSpan LossTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First delay before reconnecting; doubled after each failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest delay between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A fleet override longer than the state machine's <see cref="DegradationOptions.MaxOverrideSeconds"/> (a halt
    /// until release, or a long TTL) is installed for the maximum and renewed this long before it runs out, for
    /// as long as the command lasts — from local knowledge, so it holds while the database is unreachable.
    /// </summary>
    public TimeSpan RenewBefore { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The component whose failure reports a lost policy channel.</summary>
    public string Component { get; set; } = DefaultComponent;

    /// <summary>The reason reported when the policy channel is lost.</summary>
    public string LossReason { get; set; } = DefaultLossReason;

    /// <summary>Create or upgrade the schema when the policy starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Registers <paramref name="component"/> and maps <paramref name="lossReason"/> in <paramref name="options"/> (call
    /// before creating the system): <see cref="SystemMode.Degraded"/> (default) registers it optional — keep trading,
    /// flagged; <see cref="SystemMode.SafeMode"/> or worse registers it critical — fail closed (a critical component
    /// also blocks Normal until the policy first connects, and goes stale if it stops reporting).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lossMode"/> is Normal or Recovering (not a failure mode).</exception>
    public static DegradationOptions RegisterLossHandling(DegradationOptions options, SystemMode lossMode = SystemMode.Degraded,
        string component = DefaultComponent, string lossReason = DefaultLossReason)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentException.ThrowIfNullOrWhiteSpace(lossReason);
        if (!Enum.IsDefined(lossMode) || lossMode is SystemMode.Normal or SystemMode.Recovering)
            throw new ArgumentOutOfRangeException(nameof(lossMode), lossMode, $"{nameof(lossMode)} must be Degraded, SafeMode, SafeModeDisconnected or Halt (was {lossMode}).");
        options.Components[component] = new ComponentOptions
        {
            Critical = lossMode >= SystemMode.SafeMode,
            Category = "fleet policy",
        };
        options.DecisionMatrix[lossReason] = lossMode;
        return options;
    }

    internal void Validate()
    {
        SqlNames.ValidateIdentifier(Schema, nameof(Schema));
        SqlNames.ValidateIdentifier(Channel, nameof(Channel));
        ProcessIdentity.Validate(ProcessId, nameof(ProcessId));
        ProcessIdentity.Validate(HostId, nameof(HostId));
        if (Group is not null && (string.IsNullOrWhiteSpace(Group) || Group.Length > 100))
            throw new ArgumentException($"{nameof(Group)} must be null or 1 to 100 characters (was '{Group}').", nameof(Group));
        if (string.IsNullOrWhiteSpace(Component)) throw new ArgumentException($"{nameof(Component)} must not be empty.", nameof(Component));
        if (string.IsNullOrWhiteSpace(LossReason)) throw new ArgumentException($"{nameof(LossReason)} must not be empty.", nameof(LossReason));
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(QueryTimeout, nameof(QueryTimeout));
        Positive(ReconnectDelay, nameof(ReconnectDelay));
        Positive(RenewBefore, nameof(RenewBefore));
        if (MaxReconnectDelay < ReconnectDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxReconnectDelay), MaxReconnectDelay, $"{nameof(MaxReconnectDelay)} must be >= {nameof(ReconnectDelay)} (was {MaxReconnectDelay}).");
        if (LossTimeout < HeartbeatInterval + QueryTimeout)
            throw new ArgumentOutOfRangeException(nameof(LossTimeout), LossTimeout,
                $"{nameof(LossTimeout)} ({LossTimeout}) must be at least {nameof(HeartbeatInterval)} + {nameof(QueryTimeout)} ({HeartbeatInterval + QueryTimeout}), or a healthy but quiet channel would be reported lost.");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0 (was {value}).");
    }
}
