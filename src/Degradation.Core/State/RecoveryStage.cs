namespace Degradation;

/// <summary>The stages of a recovery run, in the order they are passed.</summary>
public enum RecoveryStage : byte
{
    /// <summary>Re-establishing the broker connection.</summary>
    ConnectBroker = 0,
    /// <summary>Catching up market data.</summary>
    CatchupMarketData = 1,
    /// <summary>Verifying risk limits and positions.</summary>
    VerifyRisk = 2,
    /// <summary>All checks passed; waiting for stability (or an operator) before trading resumes.</summary>
    Ready = 3,
}
