using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Peer.P2P;

/// <summary>The framed peer protocol over one secure stream: one reader (the link's read loop), serialised writers.</summary>
internal sealed class WireChannel(SecureStream stream) : IAsyncDisposable
{
    private const string Agent = "p2pshare-peer/1";

    private readonly FrameReader _reader = FrameReader.Create(stream, leaveOpen: true);
    private readonly FrameWriter _writer = new(stream);

    /// <summary>Hello both ways; throws <see cref="IOException"/> with the reason when the peer is not compatible.</summary>
    public async Task ExchangeHelloAsync(string peerId, int listenPort, CancellationToken ct)
    {
        var outcome = await HelloExchange.RunAsync(_reader, _writer, Hello.ForThisBuild(peerId, (ushort)listenPort, Agent), stream.RemotePeerId, ct);
        if (!outcome.Succeeded)
        {
            throw new IOException(outcome.FailureReason);
        }
    }

    public ValueTask<FrameReadResult> ReadAsync(CancellationToken ct) => _reader.ReadAsync(ct);

    public ValueTask SendAsync(PeerMessage message, CancellationToken ct) => _writer.WriteAsync(message, ct);

    /// <summary>Small frames back to back in one write (see <see cref="FrameWriter.WriteSmallAsync"/>).</summary>
    public ValueTask SendSmallAsync(IReadOnlyList<PeerMessage> messages, CancellationToken ct) => _writer.WriteSmallAsync(messages, ct);

    public async Task TrySendErrorAsync(ErrorCode code, string message)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _writer.WriteAsync(new Error(code, message), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SecureChannelException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        _writer.Dispose();
    }
}
