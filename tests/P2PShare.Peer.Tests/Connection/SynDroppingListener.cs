using System.Net;
using System.Net.Sockets;

namespace P2PShare.Peer.Tests.Connection;

/// <summary>
/// A loopback port whose TCP connects never complete, as behind a NAT that drops the SYN: a listener with a backlog
/// of one that never accepts, its queue filled first, so the kernel drops every further SYN.
/// </summary>
internal sealed class SynDroppingListener : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    private SynDroppingListener(Socket listener) => _listener = listener;

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public static async Task<SynDroppingListener> StartAsync(CancellationToken ct)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var result = new SynDroppingListener(listener);
        for (int i = 0; i < 8; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            result._fillers.Add(filler);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(TimeSpan.FromMilliseconds(300));
            try
            {
                await filler.ConnectAsync(listener.LocalEndPoint!, attempt.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return result; // this connect hangs: the queue is full
            }
        }

        result.Dispose();
        throw new InvalidOperationException("the listen queue never filled: connects to it would not hang");
    }

    public void Dispose()
    {
        foreach (var filler in _fillers)
        {
            filler.Dispose();
        }

        _listener.Dispose();
    }
}
