using System.Net;
using System.Net.Sockets;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>
/// A hand-driven peer built from the project's own secure channel and framing: it completes the Noise handshake and
/// Hello like any peer, then sends and reads exactly what a test tells it to, as a hostile peer would.
/// </summary>
internal sealed class RawPeerClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly PeerIdentity _identity;

    private RawPeerClient(TcpClient tcp, PeerIdentity identity, SecureStream stream)
    {
        _tcp = tcp;
        _identity = identity;
        Stream = stream;
        Reader = FrameReader.Create(stream, leaveOpen: true);
        Writer = new FrameWriter(stream);
    }

    public SecureStream Stream { get; }

    public FrameReader Reader { get; }

    public FrameWriter Writer { get; }

    /// <summary>Connects from <paramref name="source"/> (default 127.0.0.1) and runs the handshake and Hello.</summary>
    public static async Task<RawPeerClient> ConnectAsync(int port, CancellationToken ct, IPAddress? source = null)
    {
        var tcp = new TcpClient(new IPEndPoint(source ?? IPAddress.Loopback, 0));
        var identity = PeerIdentity.Generate();
        try
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port, ct);
            var secure = await SecureChannel.ConnectAsync(tcp.GetStream(), identity, null, ct);
            var client = new RawPeerClient(tcp, identity, secure);
            var hello = await HelloExchange.RunAsync(client.Reader, client.Writer, Hello.ForThisBuild(identity.PeerId, 0, "raw-test-client"), secure.RemotePeerId, ct);
            if (!hello.Succeeded)
            {
                await client.DisposeAsync();
                throw new IOException(hello.FailureReason);
            }

            return client;
        }
        catch
        {
            tcp.Dispose();
            identity.Dispose();
            throw;
        }
    }

    /// <summary>Reads frames until the peer closes the link; returns how many frames of each type arrived.</summary>
    public async Task<Dictionary<MessageType, int>> DrainUntilClosedAsync(CancellationToken ct)
    {
        var seen = new Dictionary<MessageType, int>();
        try
        {
            while (true)
            {
                using var frame = await Reader.ReadAsync(ct);
                if (frame.Status != FrameReadStatus.Message)
                {
                    return seen;
                }

                seen[frame.Message!.Type] = seen.GetValueOrDefault(frame.Message.Type) + 1;
            }
        }
        catch (Exception ex) when (ex is IOException or SecureChannelException or SocketException)
        {
            return seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Reader.DisposeAsync();
        Writer.Dispose();
        await Stream.DisposeAsync();
        _tcp.Dispose();
        _identity.Dispose();
    }
}
