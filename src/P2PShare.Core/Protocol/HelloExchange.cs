using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol;

/// <summary>
/// The first exchange on a fresh secure connection: both sides send Hello at once, then read the other's. It
/// succeeds when the remote Hello names the peer the secure channel authenticated and the version ranges overlap;
/// otherwise an Error frame tells the remote why, and the caller closes the connection.
/// </summary>
public static class HelloExchange
{
    public static async Task<HelloOutcome> RunAsync(FrameReader reader, FrameWriter writer, Hello local, string authenticatedPeerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(local);
        try
        {
            await writer.WriteAsync(local, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            return HelloOutcome.Failed($"could not send Hello: {exception.Message}");
        }

        using var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (result.Status != FrameReadStatus.Message)
        {
            return HelloOutcome.Failed(result.Status == FrameReadStatus.EndOfStream ? "the peer closed before Hello" : $"no Hello: {result.Reason}");
        }

        if (result.Message is Error error)
        {
            return HelloOutcome.Failed($"the peer refused: {error.Code}: {error.Message}");
        }

        if (result.Message is not Hello remote)
        {
            return await RefuseAsync(writer, ErrorCode.ProtocolViolation, $"expected Hello, got {result.Message!.Type}", cancellationToken).ConfigureAwait(false);
        }

        if (!string.Equals(remote.PeerId, authenticatedPeerId, StringComparison.Ordinal))
        {
            return await RefuseAsync(writer, ErrorCode.IdentityMismatch, $"Hello names peer {remote.PeerId} but the channel authenticated {authenticatedPeerId}", cancellationToken).ConfigureAwait(false);
        }

        if (ProtocolVersions.Negotiate(local.MinVersion, local.MaxVersion, remote.MinVersion, remote.MaxVersion) is not { } version)
        {
            return await RefuseAsync(writer, ErrorCode.UnsupportedVersion, $"no common version: we speak {local.MinVersion}–{local.MaxVersion}, the peer {remote.MinVersion}–{remote.MaxVersion}", cancellationToken).ConfigureAwait(false);
        }

        return HelloOutcome.Agreed(version, remote);
    }

    private static async Task<HelloOutcome> RefuseAsync(FrameWriter writer, ErrorCode code, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(new Error(code, reason), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone already; the reason is still reported to the caller.
        }

        return HelloOutcome.Failed(reason);
    }
}
