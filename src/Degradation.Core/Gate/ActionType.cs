namespace Degradation;

/// <summary>A trading action the gate decides on.</summary>
public enum ActionType : byte
{
    /// <summary>Open a new position.</summary>
    Open = 0,
    /// <summary>Send an order.</summary>
    Send = 1,
    /// <summary>Amend a working order.</summary>
    Amend = 2,
    /// <summary>Cancel a working order.</summary>
    Cancel = 3,
    /// <summary>Send an order that can only reduce an existing position.</summary>
    ReduceOnly = 4,
    /// <summary>Read state (positions, orders, market data).</summary>
    Query = 5,
}
