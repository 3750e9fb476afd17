using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Crypto;

/// <summary>
/// Runs the Noise_XX_25519_AESGCM_SHA256 handshake (prologue <c>p2pshare/1</c>) over any duplex stream and returns
/// the <see cref="SecureStream"/> built on its result. Each handshake message travels as a 2-byte big-endian length
/// followed by the Noise message (Noise §13). On any failure the transport is disposed and a
/// <see cref="SecureChannelException"/> (or <see cref="OperationCanceledException"/>) is thrown; bound the time a
/// handshake may take with the cancellation token.
/// </summary>
public static class SecureChannel
{
    /// <summary>The Noise prologue both sides mix in; a peer speaking another version fails the handshake.</summary>
    public static ReadOnlySpan<byte> Prologue => "p2pshare/1"u8;

    /// <summary>
    /// Exact lengths of the three XX messages with the empty payloads version 1 sends: e; e, s+tag, payload tag;
    /// s+tag, payload tag. Anything else is refused at once, so a damaged length prefix cannot stall a handshake.
    /// </summary>
    private static readonly int[] MessageLengths =
    [
        NoiseConstants.DhLength,
        NoiseConstants.DhLength + NoiseConstants.DhLength + (2 * NoiseConstants.TagLength),
        NoiseConstants.DhLength + (2 * NoiseConstants.TagLength),
    ];

    /// <summary>
    /// Dials as the initiator. When <paramref name="expectedRemoteStaticKey"/> is given (the key the tracker lists),
    /// a responder proving any other static key is refused with <see cref="PeerAuthenticationException"/> before the
    /// initiator reveals its own identity.
    /// </summary>
    public static Task<SecureStream> ConnectAsync(Stream transport, PeerIdentity local, ReadOnlyMemory<byte>? expectedRemoteStaticKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(local);
        if (expectedRemoteStaticKey is { Length: not X25519.KeySize })
        {
            throw new ArgumentException($"an X25519 public key is {X25519.KeySize} bytes", nameof(expectedRemoteStaticKey));
        }

        return HandshakeAsync(transport, local, initiator: true, expectedRemoteStaticKey, cancellationToken);
    }

    /// <summary>Answers a dialer as the responder; any static key is accepted and exposed on the stream.</summary>
    public static Task<SecureStream> AcceptAsync(Stream transport, PeerIdentity local, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(local);
        return HandshakeAsync(transport, local, initiator: false, expectedRemoteStaticKey: null, cancellationToken);
    }

    private static async Task<SecureStream> HandshakeAsync(Stream transport, PeerIdentity local, bool initiator, ReadOnlyMemory<byte>? expectedRemoteStaticKey, CancellationToken cancellationToken)
    {
        var message = ArrayPool<byte>.Shared.Rent(RecordLayer.MaxRecordLength);
        var payload = ArrayPool<byte>.Shared.Rent(NoiseConstants.MaxMessageLength);
        var state = new HandshakeState(initiator, Prologue, local.Key);
        try
        {
            for (int index = 0; !state.IsComplete; index++)
            {
                if (state.IsWriteTurn)
                {
                    if (!state.TryWriteMessage([], message.AsSpan(2, NoiseConstants.MaxMessageLength), out int written, out var error))
                    {
                        throw new SecureChannelException($"handshake failed: {error}");
                    }

                    BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)written);
                    await transport.WriteAsync(message.AsMemory(0, 2 + written), cancellationToken).ConfigureAwait(false);
                    await transport.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    int length = await ReadMessageAsync(transport, message, MessageLengths[index], cancellationToken).ConfigureAwait(false);
                    if (!state.TryReadMessage(message.AsSpan(0, length), payload, out _, out var error))
                    {
                        throw new SecureChannelException($"handshake failed: {error}");
                    }

                    CheckExpectedKey(state, expectedRemoteStaticKey);
                }
            }

            var (send, receive) = state.Split();
            return new SecureStream(transport, send, receive, state.RemoteStaticKey!.Value, state.HandshakeHash);
        }
        catch (Exception exception)
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            if (exception is IOException and not SecureChannelException)
            {
                throw new SecureChannelException($"handshake failed: {exception.Message}", exception);
            }

            throw;
        }
        finally
        {
            state.Dispose();
            ArrayPool<byte>.Shared.Return(message);
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    private static void CheckExpectedKey(HandshakeState state, ReadOnlyMemory<byte>? expected)
    {
        if (expected is not { } key || state.RemoteStaticKey is not { } actual)
        {
            return;
        }

        if (!CryptographicOperations.FixedTimeEquals(key.Span, actual.Span))
        {
            throw new PeerAuthenticationException(PeerIdentity.PeerIdFor(key.Span), PeerIdentity.PeerIdFor(actual.Span));
        }
    }

    private static async ValueTask<int> ReadMessageAsync(Stream transport, byte[] buffer, int expectedLength, CancellationToken cancellationToken)
    {
        try
        {
            await transport.ReadExactlyAsync(buffer.AsMemory(0, 2), cancellationToken).ConfigureAwait(false);
            int length = BinaryPrimitives.ReadUInt16BigEndian(buffer);
            if (length != expectedLength)
            {
                throw new SecureChannelException($"handshake failed: message of {length} bytes where {expectedLength} were expected");
            }

            await transport.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            return length;
        }
        catch (EndOfStreamException)
        {
            throw new SecureChannelException("handshake failed: the connection closed before the handshake completed");
        }
    }
}
