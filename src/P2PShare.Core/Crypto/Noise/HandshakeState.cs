using System.Security.Cryptography;
using NSec.Cryptography;

namespace P2PShare.Core.Crypto.Noise;

/// <summary>
/// Noise §5.3 HandshakeState for the XX pattern (§7.5): <c>-&gt; e</c>, <c>&lt;- e, ee, s, es</c>, <c>-&gt; s, se</c>.
/// Errors a hostile peer can cause (bad lengths, failed decryption, a low-order key) are returned as values.
/// </summary>
internal sealed class HandshakeState : IDisposable
{
    private static readonly NoiseToken[][] Pattern =
    [
        [NoiseToken.E],
        [NoiseToken.E, NoiseToken.EE, NoiseToken.S, NoiseToken.ES],
        [NoiseToken.S, NoiseToken.SE],
    ];

    private readonly SymmetricState _symmetric = new(NoiseConstants.ProtocolName);
    private readonly bool _initiator;
    private readonly Key _static;
    private readonly byte[] _staticPublic;
    private readonly byte[]? _fixedEphemeral;
    private Key? _ephemeral;
    private byte[]? _ephemeralPublic;
    private byte[]? _remoteStatic;
    private byte[]? _remoteEphemeral;
    private int _next;

    /// <param name="initiator">True for the party that sends the first message.</param>
    /// <param name="prologue">Bytes both sides must agree on (§6); mixed into h.</param>
    /// <param name="localStatic">The local static X25519 key pair; not disposed by this object.</param>
    /// <param name="fixedEphemeral">A private ephemeral key to use instead of a random one (test vectors only).</param>
    public HandshakeState(bool initiator, ReadOnlySpan<byte> prologue, Key localStatic, byte[]? fixedEphemeral = null)
    {
        _initiator = initiator;
        _static = localStatic;
        _staticPublic = X25519.PublicKeyOf(localStatic);
        _fixedEphemeral = fixedEphemeral;
        _symmetric.MixHash(prologue);
    }

    public bool IsComplete => _next == Pattern.Length;

    /// <summary>True when the next handshake message is ours to write.</summary>
    public bool IsWriteTurn => !IsComplete && (_next % 2 == 0) == _initiator;

    /// <summary>The remote static public key, once the message carrying it has been read.</summary>
    public ReadOnlyMemory<byte>? RemoteStaticKey => _remoteStatic;

    /// <summary>h; meaningful once the handshake is complete (channel binding, vector checks).</summary>
    public byte[] HandshakeHash => _symmetric.HandshakeHash.ToArray();

    /// <summary>
    /// Writes the next handshake message carrying <paramref name="payload"/> into <paramref name="message"/>.
    /// Fails only when a DH result is all zeros, i.e. the remote ephemeral key is a low-order point.
    /// </summary>
    public bool TryWriteMessage(ReadOnlySpan<byte> payload, Span<byte> message, out int written, out string? error)
    {
        if (!IsWriteTurn)
        {
            throw new InvalidOperationException("it is not this party's turn to write a handshake message");
        }

        var tokens = Pattern[_next++];
        written = 0;
        foreach (var token in tokens)
        {
            switch (token)
            {
                case NoiseToken.E:
                    _ephemeral = _fixedEphemeral is null ? X25519.GenerateKey() : X25519.ImportPrivateKey(_fixedEphemeral);
                    _ephemeralPublic = X25519.PublicKeyOf(_ephemeral);
                    _ephemeralPublic.CopyTo(message[written..]);
                    _symmetric.MixHash(_ephemeralPublic);
                    written += NoiseConstants.DhLength;
                    break;
                case NoiseToken.S:
                    written += _symmetric.EncryptAndHash(_staticPublic, message[written..]);
                    break;
                default:
                    if (!TryMixDh(token, out error))
                    {
                        return false;
                    }

                    break;
            }
        }

        int needed = written + payload.Length + (_symmetric.HasKey ? NoiseConstants.TagLength : 0);
        if (needed > NoiseConstants.MaxMessageLength || needed > message.Length)
        {
            throw new ArgumentException("handshake payload too large for one Noise message", nameof(payload));
        }

        written += _symmetric.EncryptAndHash(payload, message[written..]);
        error = null;
        return true;
    }

    /// <summary>
    /// Reads the next handshake message, writing its decrypted payload to <paramref name="payload"/>
    /// (which must not overlap <paramref name="message"/>).
    /// </summary>
    public bool TryReadMessage(ReadOnlySpan<byte> message, Span<byte> payload, out int payloadLength, out string? error)
    {
        if (IsComplete || IsWriteTurn)
        {
            throw new InvalidOperationException("it is not this party's turn to read a handshake message");
        }

        payloadLength = 0;
        if (message.Length > NoiseConstants.MaxMessageLength)
        {
            error = "handshake message longer than 65535 bytes";
            return false;
        }

        var tokens = Pattern[_next++];
        int read = 0;
        foreach (var token in tokens)
        {
            switch (token)
            {
                case NoiseToken.E:
                    if (message.Length - read < NoiseConstants.DhLength)
                    {
                        error = "handshake message too short for an ephemeral key";
                        return false;
                    }

                    _remoteEphemeral = message.Slice(read, NoiseConstants.DhLength).ToArray();
                    _symmetric.MixHash(_remoteEphemeral);
                    read += NoiseConstants.DhLength;
                    break;
                case NoiseToken.S:
                    int length = NoiseConstants.DhLength + (_symmetric.HasKey ? NoiseConstants.TagLength : 0);
                    if (message.Length - read < length)
                    {
                        error = "handshake message too short for a static key";
                        return false;
                    }

                    var remoteStatic = new byte[NoiseConstants.DhLength];
                    if (!_symmetric.TryDecryptAndHash(message.Slice(read, length), remoteStatic, out _))
                    {
                        error = "the remote static key failed authentication";
                        return false;
                    }

                    _remoteStatic = remoteStatic;
                    read += length;
                    break;
                default:
                    if (!TryMixDh(token, out error))
                    {
                        return false;
                    }

                    break;
            }
        }

        var rest = message[read..];
        if (_symmetric.HasKey && rest.Length < NoiseConstants.TagLength)
        {
            error = "handshake message too short for its payload tag";
            return false;
        }

        if (payload.Length < rest.Length - (_symmetric.HasKey ? NoiseConstants.TagLength : 0))
        {
            error = "handshake payload larger than the receive buffer";
            return false;
        }

        if (!_symmetric.TryDecryptAndHash(rest, payload, out payloadLength))
        {
            error = "the handshake payload failed authentication";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The transport CipherStates from this party's point of view, after the last message.</summary>
    public (CipherState Send, CipherState Receive) Split()
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException("the handshake is not complete");
        }

        var (c1, c2) = _symmetric.Split();
        return _initiator ? (c1, c2) : (c2, c1);
    }

    public void Dispose()
    {
        _ephemeral?.Dispose();
        _symmetric.Dispose();
    }

    private bool TryMixDh(NoiseToken token, out string? error)
    {
        // es: initiator DH(e, rs), responder DH(s, re); se: initiator DH(s, re), responder DH(e, rs).
        var (local, remote) = token switch
        {
            NoiseToken.EE => (_ephemeral, _remoteEphemeral),
            NoiseToken.ES => _initiator ? (_ephemeral, _remoteStatic) : (_static, _remoteEphemeral),
            NoiseToken.SE => _initiator ? (_static, _remoteEphemeral) : (_ephemeral, _remoteStatic),
            _ => throw new InvalidOperationException($"unexpected token {token}"),
        };

        if (local is null || remote is null)
        {
            throw new InvalidOperationException($"token {token} used before its keys are known");
        }

        Span<byte> shared = stackalloc byte[NoiseConstants.DhLength];
        if (!X25519.TryAgree(local, remote, shared))
        {
            error = "Diffie-Hellman with the remote key gave an all-zero result (invalid public key)";
            return false;
        }

        _symmetric.MixKey(shared);
        CryptographicOperations.ZeroMemory(shared);
        error = null;
        return true;
    }
}
