using P2PShare.Core.Streams;

namespace P2PShare.Net.Streams;

/// <summary>Passes bytes through and reports how many went each way (raw transport bytes, overhead included).</summary>
public sealed class CountingStream(Stream inner, Action<int> onRead, Action<int> onWrite) : DelegatingStream(inner)
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        onRead(read);
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        onWrite(buffer.Length);
    }
}
