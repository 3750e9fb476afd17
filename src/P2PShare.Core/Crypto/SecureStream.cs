using P2PShare.Core.Crypto.Noise;

namespace P2PShare.Core.Crypto;

/// <summary>
/// A duplex stream over a completed Noise_XX handshake. Every write is split into records of at most 65,535 bytes
/// (2-byte length ‖ AES-256-GCM ciphertext ‖ tag) with strictly sequential nonces; every read returns only
/// authenticated bytes. A tampered, replayed, reordered or truncated record closes the transport and throws
/// <see cref="SecureChannelException"/> from this and every later read. One reader and one writer may run at the
/// same time. The stream owns the transport.
/// </summary>
public sealed class SecureStream : Stream
{
    private readonly Stream _transport;
    private readonly CipherState _send;
    private readonly CipherState _receive;
    private readonly RecordWriter _writer;
    private readonly RecordReader _reader;
    private int _disposed;

    internal SecureStream(Stream transport, CipherState send, CipherState receive, ReadOnlyMemory<byte> remoteStaticKey, byte[] handshakeHash)
    {
        _transport = transport;
        _send = send;
        _receive = receive;
        _writer = new RecordWriter(transport, send);
        _reader = new RecordReader(transport, receive);
        RemoteStaticKey = remoteStaticKey;
        RemotePeerId = PeerIdentity.PeerIdFor(remoteStaticKey.Span);
        HandshakeHash = handshakeHash;
    }

    /// <summary>The X25519 static key the remote proved during the handshake.</summary>
    public ReadOnlyMemory<byte> RemoteStaticKey { get; }

    /// <summary>Peer ID derived from <see cref="RemoteStaticKey"/>.</summary>
    public string RemotePeerId { get; }

    /// <summary>The Noise handshake hash h, identical on both sides (usable for channel binding).</summary>
    public ReadOnlyMemory<byte> HandshakeHash { get; }

    public override bool CanRead => Volatile.Read(ref _disposed) == 0;

    public override bool CanWrite => Volatile.Read(ref _disposed) == 0;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (SecureChannelException)
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync(buffer, ReadOnlyMemory<byte>.Empty, cancellationToken);

    /// <summary>
    /// Sends <paramref name="first"/> then <paramref name="second"/> in one batch without copying them together
    /// (a frame header and a chunk, say). Each part becomes its own record(s).
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _writer.WriteAsync(first, second, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Blocking read; prefer <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Blocking write; prefer <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</summary>
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush() => _transport.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _transport.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _transport.DisposeAsync().ConfigureAwait(false);
        ReleaseState();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _transport.Dispose();
            ReleaseState();
        }

        base.Dispose(disposing);
    }

    private void ReleaseState()
    {
        _reader.Dispose();
        _send.Dispose();
        _receive.Dispose();
    }
}
