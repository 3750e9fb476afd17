using System.IO.Pipelines;
using System.Net;
using P2PShare.Core.Transport;

namespace P2PShare.Testing;

/// <summary>
/// One end of an in-memory connection: a duplex byte stream whose each direction holds at most the buffer size
/// given to <see cref="CreatePair"/> (a writer beyond that waits for the reader, as on a full TCP socket). Works
/// under the real SecureChannel and framing. <see cref="CompleteWrites"/> is a half-close (the other end reads
/// end of stream but can still send); disposing closes both directions (the other end's writes then fail).
/// </summary>
public sealed class InMemoryConnection : IPeerConnection
{
    public const int DefaultBufferBytes = 256 * 1024;

    private readonly PipeDuplexStream _stream;

    private InMemoryConnection(PipeReader reader, PipeWriter writer, int port)
    {
        _stream = new PipeDuplexStream(reader, writer);
        RemoteEndPoint = new IPEndPoint(IPAddress.Loopback, port);
    }

    public Stream Stream => _stream;

    public EndPoint? RemoteEndPoint { get; }

    public ConnectionKind Kind => ConnectionKind.Direct;

    /// <summary>A connected pair; each direction buffers at most <paramref name="bufferBytes"/>.</summary>
    public static (InMemoryConnection Client, InMemoryConnection Server) CreatePair(int bufferBytes = DefaultBufferBytes)
    {
        var toServer = NewPipe(bufferBytes);
        var toClient = NewPipe(bufferBytes);
        return (new InMemoryConnection(toClient.Reader, toServer.Writer, 2), new InMemoryConnection(toServer.Reader, toClient.Writer, 1));
    }

    /// <summary>Ends this side's writing: the other end reads end of stream after what was sent.</summary>
    public void CompleteWrites() => _stream.CompleteWrites();

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private static Pipe NewPipe(int bufferBytes) =>
        new(new PipeOptions(pauseWriterThreshold: bufferBytes, resumeWriterThreshold: bufferBytes / 2, useSynchronizationContext: false));
}
