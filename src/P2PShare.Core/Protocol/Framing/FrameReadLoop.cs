using Microsoft.Extensions.Logging;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol.Framing;

/// <summary>
/// The receive loop of a connection: hands each message to a handler until the peer closes, sends a malformed
/// frame or the transport fails, logs why it stopped, and returns that reason instead of throwing. The caller then
/// disposes the connection. Message bytes (Piece data…) are valid until the handler's task completes.
/// </summary>
public static partial class FrameReadLoop
{
    public static async Task<FrameReadStatus> RunAsync(
        FrameReader reader,
        Func<PeerMessage, CancellationToken, ValueTask> handler,
        ILogger logger,
        string remotePeerId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        while (true)
        {
            using var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            switch (result.Status)
            {
                case FrameReadStatus.Message:
                    await handler(result.Message!, cancellationToken).ConfigureAwait(false);
                    break;
                case FrameReadStatus.EndOfStream:
                    Log.PeerClosed(logger, remotePeerId);
                    return result.Status;
                case FrameReadStatus.Malformed:
                    Log.MalformedFrame(logger, remotePeerId, result.Reason!);
                    return result.Status;
                default:
                    Log.TransportFailed(logger, remotePeerId, result.Reason!);
                    return result.Status;
            }
        }
    }
}
