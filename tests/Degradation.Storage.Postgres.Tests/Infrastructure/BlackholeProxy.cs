using System.Net;
using System.Net.Sockets;

namespace Degradation.Tests.Postgres;

/// <summary>
/// A loopback TCP forwarder that can go silent: while blackholed it keeps every socket open but forwards
/// nothing and drops what it reads (a half-open connection, as after a network partition), and new
/// connections are accepted but never answered. <see cref="Resume"/> drops the silenced connections and
/// forwards new ones again.
/// </summary>
public sealed class BlackholeProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _lock = new();
    private readonly List<(TcpClient Client, TcpClient? Upstream, int Generation)> _connections = [];
    private volatile bool _blackholed;
    private int _generation;
    private readonly Task _acceptLoop;

    public BlackholeProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Blackhole() => _blackholed = true;

    public void Resume()
    {
        List<(TcpClient Client, TcpClient? Upstream, int Generation)> silenced;
        lock (_lock)
        {
            _generation++;
            silenced = [.. _connections];
            _connections.Clear();
            _blackholed = false;
        }
        foreach (var (client, upstream, _) in silenced)
        {
            client.Dispose();
            upstream?.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => HandleAsync(client));
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        TcpClient? upstream = null;
        int generation;
        lock (_lock) generation = _generation;
        try
        {
            if (!_blackholed)
            {
                upstream = new TcpClient();
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            lock (_lock) _connections.Add((client, upstream, generation));
            if (upstream is null) return; // accepted during a blackhole: never answered
            var a = PumpAsync(client.GetStream(), upstream.GetStream());
            var b = PumpAsync(upstream.GetStream(), client.GetStream());
            await Task.WhenAny(a, b);
        }
        catch (Exception)
        {
            // connection dropped
        }
        finally
        {
            // While blackholed the sockets stay open (silent) until Resume drops them.
            if (!_blackholed || generation != Volatile.Read(ref _generation))
            {
                lock (_lock) _connections.RemoveAll(c => c.Client == client);
                client.Dispose();
                upstream?.Dispose();
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stop.Token);
            if (read == 0) return;
            if (_blackholed)
            {
                // Silence: swallow everything, and keep the sockets open until Resume.
                while (_blackholed)
                {
                    if (await from.ReadAsync(buffer, _stop.Token) == 0) return;
                }
                throw new IOException("connection silenced by the blackhole");
            }
            await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _acceptLoop; } catch (Exception) { }
        lock (_lock)
        {
            foreach (var (client, upstream, _) in _connections) { client.Dispose(); upstream?.Dispose(); }
            _connections.Clear();
        }
        _stop.Dispose();
    }
}
