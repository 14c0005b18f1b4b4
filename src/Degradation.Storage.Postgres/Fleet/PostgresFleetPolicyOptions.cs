namespace Degradation.Storage.Postgres;

/// <summary>
/// Options of a <see cref="PostgresFleetPolicy"/>.
/// <para>
/// Until the policy has been read once since the process started, <see cref="Component"/> has never reported:
/// registered critical (see <see cref="RegisterLossHandling"/>) it is Unknown, which keeps the system out of
/// Normal and every trading action shut. Its first report comes only after the first read's commands are applied.
/// </para>
/// <para>
/// Losing the policy channel: after <see cref="LossTimeout"/> without an answer from the database the process
/// reports <see cref="LossReason"/> on <see cref="Component"/> through <see cref="DegradationSystem.ReportFailure"/>
/// (and, when the policy was never read, <see cref="NotReadReason"/> as well), repeats the report while the loss
/// lasts, and reports the component recovered once the channel answers again. What that does is decided by the
/// <see cref="DegradationOptions"/> the system was built with — see <see cref="RegisterLossHandling"/>: by default
/// the reason maps to <see cref="SystemMode.SafeMode"/> (fail closed); <see cref="SystemMode.Degraded"/> (keep
/// trading, flagged) is an explicit choice and applies only once the policy has been read.
/// </para>
/// <para>
/// Timing: the listening connection waits for notifications at most <see cref="HeartbeatInterval"/>, then proves
/// itself with a query under <see cref="QueryTimeout"/>; <see cref="LossTimeout"/> must cover both. The driver's
/// own keepalive (<see cref="KeepAlive"/>) is off by default because the heartbeat already is one; when set it
/// must be longer than a heartbeat round, so it never fires while the connection is busy or waiting (a driver
/// keepalive interrupted by the end of a wait breaks the connection).
/// </para>
/// </summary>
public sealed class PostgresFleetPolicyOptions
{
    /// <summary>The default <see cref="Component"/>.</summary>
    public const string DefaultComponent = "fleet-policy";

    /// <summary>The default <see cref="LossReason"/>.</summary>
    public const string DefaultLossReason = "fleet.policy_lost";

    /// <summary>The default <see cref="NotReadReason"/>.</summary>
    public const string DefaultNotReadReason = "fleet.policy_not_read";

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

    /// <summary>
    /// The driver's keepalive on the listening connection (Npgsql <c>Keepalive</c>, whole seconds);
    /// <see cref="TimeSpan.Zero"/> (default) turns it off — the heartbeat already keeps the connection busy. When set,
    /// it must be longer than <see cref="HeartbeatInterval"/> + <see cref="QueryTimeout"/>.
    /// </summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.Zero;

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

    /// <summary>The reason reported, next to <see cref="LossReason"/>, when the channel is lost before the policy was ever read; it always maps to SafeMode.</summary>
    public string NotReadReason { get; set; } = DefaultNotReadReason;

    /// <summary>Create or upgrade the schema when the policy starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Registers <paramref name="component"/> critical and maps <paramref name="lossReason"/> in <paramref name="options"/>
    /// (call before creating the system). The component is critical whatever the mode: until the policy was read
    /// once it is Unknown, which blocks Normal and every trading action. <paramref name="lossMode"/> is what a later
    /// loss leads to: <see cref="SystemMode.SafeMode"/> (default, fail closed), or <see cref="SystemMode.Degraded"/>
    /// (keep trading, flagged) as an explicit choice. <paramref name="notReadReason"/> (a loss before the first
    /// read) always maps to SafeMode.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lossMode"/> is Normal or Recovering (not a failure mode).</exception>
    public static DegradationOptions RegisterLossHandling(DegradationOptions options, SystemMode lossMode = SystemMode.SafeMode,
        string component = DefaultComponent, string lossReason = DefaultLossReason, string notReadReason = DefaultNotReadReason)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentException.ThrowIfNullOrWhiteSpace(lossReason);
        ArgumentException.ThrowIfNullOrWhiteSpace(notReadReason);
        if (!Enum.IsDefined(lossMode) || lossMode is SystemMode.Normal or SystemMode.Recovering)
            throw new ArgumentOutOfRangeException(nameof(lossMode), lossMode, $"{nameof(lossMode)} must be Degraded, SafeMode, SafeModeDisconnected or Halt (was {lossMode}).");
        options.Components[component] = new ComponentOptions
        {
            Critical = true,
            Category = "fleet policy",
        };
        options.DecisionMatrix[lossReason] = lossMode;
        options.DecisionMatrix[notReadReason] = lossMode > SystemMode.SafeMode ? lossMode : SystemMode.SafeMode;
        return options;
    }

    /// <summary>
    /// How long one report of the component stays valid. The watchdog reports every heartbeat interval (a heartbeat
    /// until the loss timeout, then the loss), so the status expires only when the watchdog itself has been silent for
    /// this long — at least a whole loss timeout beyond its usual period, which keeps a late timer from turning a loss
    /// into an expired status.
    /// </summary>
    internal TimeSpan StatusTtl => LossTimeout + HeartbeatInterval + HeartbeatInterval;

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
        if (string.IsNullOrWhiteSpace(NotReadReason)) throw new ArgumentException($"{nameof(NotReadReason)} must not be empty.", nameof(NotReadReason));
        Positive(HeartbeatInterval, nameof(HeartbeatInterval));
        Positive(QueryTimeout, nameof(QueryTimeout));
        Positive(ReconnectDelay, nameof(ReconnectDelay));
        Positive(RenewBefore, nameof(RenewBefore));
        if (MaxReconnectDelay < ReconnectDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxReconnectDelay), MaxReconnectDelay, $"{nameof(MaxReconnectDelay)} must be >= {nameof(ReconnectDelay)} (was {MaxReconnectDelay}).");
        if (LossTimeout < HeartbeatInterval + QueryTimeout)
            throw new ArgumentOutOfRangeException(nameof(LossTimeout), LossTimeout,
                $"{nameof(LossTimeout)} ({LossTimeout}) must be at least {nameof(HeartbeatInterval)} + {nameof(QueryTimeout)} ({HeartbeatInterval + QueryTimeout}), or a healthy but quiet channel would be reported lost.");
        if (KeepAlive < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(KeepAlive), KeepAlive, $"{nameof(KeepAlive)} must be zero (off) or positive (was {KeepAlive}).");
        if (KeepAlive > TimeSpan.Zero && (KeepAlive.Ticks % TimeSpan.TicksPerSecond != 0 || KeepAlive <= HeartbeatInterval + QueryTimeout))
            throw new ArgumentOutOfRangeException(nameof(KeepAlive), KeepAlive,
                $"{nameof(KeepAlive)} ({KeepAlive}) must be zero (off) or whole seconds longer than {nameof(HeartbeatInterval)} + {nameof(QueryTimeout)} ({HeartbeatInterval + QueryTimeout}): a driver keepalive that fires while the heartbeat wait ends breaks the connection.");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, $"{name} must be > 0 (was {value}).");
    }
}
