using System.Net;
using System.Net.Sockets;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht.Tests;

/// <summary>A bare UDP socket on 127.0.0.1 that speaks (or breaks) the DHT wire format by hand.</summary>
internal sealed class RawSocket : IDisposable
{
    private readonly UdpClient _client = new(new IPEndPoint(IPAddress.Loopback, 0));

    public IPEndPoint EndPoint => (IPEndPoint)_client.Client.LocalEndPoint!;

    public Task SendAsync(byte[] datagram, IPEndPoint to) => _client.SendAsync(datagram, to).AsTask();

    public Task SendAsync(DhtMessage message, IPEndPoint to, int budget = DhtLimits.MaxDatagram)
    {
        var buffer = new byte[DhtLimits.MaxDatagram];
        int length = MessageCodec.Encode(message, buffer, budget);
        return SendAsync(buffer[..length], to);
    }

    /// <summary>The next datagram, or null when none arrives within <paramref name="wait"/>.</summary>
    public async Task<UdpReceiveResult?> ReceiveAsync(TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            return await _client.ReceiveAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends <paramref name="query"/> and returns the decoded reply to it, skipping other datagrams. Sends again
    /// (up to three times in all) when nothing comes back: after a flood the kernel may have dropped it.
    /// </summary>
    public async Task<DhtMessage?> AskAsync(DhtMessage query, IPEndPoint to)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            await SendAsync(query, to);
            while (await ReceiveAsync(TimeSpan.FromSeconds(2)) is { } received)
            {
                var message = MessageCodec.Decode(received.Buffer);
                if (!message.IsQuery && message.TransactionId == query.TransactionId)
                {
                    return message;
                }
            }
        }

        return null;
    }

    public void Dispose() => _client.Dispose();
}
