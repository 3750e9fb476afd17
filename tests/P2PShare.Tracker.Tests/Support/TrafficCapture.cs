using System.Net;
using System.Net.Sockets;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>
/// A TCP forwarder on 127.0.0.1 in front of the tracker that keeps a copy of every byte the tracker sends back,
/// which is what an observer of the tracker's traffic sees unmasked (client-to-server WebSocket frames are masked).
/// Bounded: it stops copying after <see cref="MaxCapturedBytes"/>.
/// </summary>
internal sealed class TrafficCapture : IAsyncDisposable
{
    public const int MaxCapturedBytes = 64 * 1024 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _tracker;
    private readonly CancellationTokenSource _stop = new();
    private readonly MemoryStream _captured = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;

    public TrafficCapture(Uri tracker)
    {
        _tracker = new IPEndPoint(IPAddress.Parse(tracker.Host), tracker.Port);
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    /// <summary>A copy of everything the tracker sent through this forwarder so far.</summary>
    public byte[] TrackerToClientBytes()
    {
        lock (_captured)
        {
            return _captured.ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_accepting, .. _pumps]).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var tracker = new TcpClient();
                await tracker.ConnectAsync(_tracker, _stop.Token);
                lock (_pumps)
                {
                    _pumps.Add(PumpAsync(client.GetStream(), tracker.GetStream(), capture: false, client, tracker));
                    _pumps.Add(PumpAsync(tracker.GetStream(), client.GetStream(), capture: true, client, tracker));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool capture, TcpClient first, TcpClient second)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (capture)
                {
                    lock (_captured)
                    {
                        if (_captured.Length + read <= MaxCapturedBytes)
                        {
                            _captured.Write(buffer, 0, read);
                        }
                    }
                }

                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // One side went away.
        }
        finally
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
