namespace Degradation.Hosting;

/// <summary>Runs an unsubscription once when disposed.</summary>
internal sealed class Unsubscribe(Action unsubscribe) : IDisposable
{
    private Action? _unsubscribe = unsubscribe;

    public void Dispose() => Interlocked.Exchange(ref _unsubscribe, null)?.Invoke();
}
