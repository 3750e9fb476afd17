using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Throttling;
using P2PShare.Core.Transport;
using P2PShare.Peer.Connection;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;
using P2PShare.Peer.Tests.Storage;

namespace P2PShare.Peer.Tests.P2P;

/// <summary>
/// One node's link side for unit tests: its own DATA_DIR, state.db, identity and real <see cref="LinkFactory"/>,
/// on a clock the test drives. Links to another node run over an <see cref="InMemoryConnection"/>.
/// </summary>
internal sealed class LinkNodeForUnitTests : IAsyncDisposable
{
    private readonly List<PeerLink> _links = [];

    private LinkNodeForUnitTests(StorageFixture storage, FakeTimeProvider time, LogCapture logs)
    {
        Storage = storage;
        Directory = new LinkDirectory();
        Holdings = new LocalHoldings(storage.Index, storage.Downloads, new ChunkSource(storage.Paths, storage.Index, storage.Downloads), time);
        Factory = new LinkFactory(Identity, Holdings, Directory, new ConnectionRegistry(time), new BandwidthLimits(0, 0, time), 6881, time, logs);
    }

    public StorageFixture Storage { get; }

    public PeerIdentity Identity { get; } = PeerIdentity.Generate();

    public LinkDirectory Directory { get; }

    public LocalHoldings Holdings { get; }

    public LinkFactory Factory { get; }

    public static async Task<LinkNodeForUnitTests> CreateAsync(FakeTimeProvider time, LogCapture logs, CancellationToken ct) =>
        new(await StorageFixture.CreateAsync(ct), time, logs);

    /// <summary>Writes a file into DATA_DIR and shares it; returns its ID and bytes.</summary>
    public async Task<(string FileId, byte[] Content)> ShareAsync(string name, int size, CancellationToken ct)
    {
        string path = Storage.WriteDataFile(name, size);
        var indexed = await Storage.Index.GetOrHashAsync(path, ct);
        Assert.Equal(IndexStatus.Indexed, indexed.Status);
        return (indexed.Manifest!.Hash, await File.ReadAllBytesAsync(path, ct));
    }

    /// <summary>Links this node (dialling) to <paramref name="other"/> (accepting); returns (ours, theirs).</summary>
    public async Task<(PeerLink Mine, PeerLink Theirs)> ConnectAsync(LinkNodeForUnitTests other, CancellationToken ct)
    {
        var (client, server) = InMemoryConnection.CreatePair();
        var accept = other.Factory.AcceptAsync(server, ct);
        var mine = await Factory.ConnectAsync(new OneConnection(client), new PeerAddress(other.Identity.PeerId, "127.0.0.1", 1), other.Identity.PublicKey, ct);
        var theirs = await accept;
        _links.Add(mine);
        other._links.Add(theirs);
        return (mine, theirs);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var link in _links)
        {
            await link.DisposeAsync();
        }

        Identity.Dispose();
        await Storage.DisposeAsync();
    }

    /// <summary>A transport that hands out one prepared connection.</summary>
    private sealed class OneConnection(IPeerConnection connection) : IPeerTransport
    {
        public string Scheme => "memory";

        public ValueTask<IPeerConnection> ConnectAsync(PeerAddress address, CancellationToken cancellationToken) => ValueTask.FromResult(connection);

        public ValueTask<IPeerConnection> AcceptAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>What a download attached to a link would hear, kept for the test to await.</summary>
internal sealed class RecordingListener : ILinkListener
{
    private readonly ConcurrentQueue<string> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public ConcurrentDictionary<int, byte[]> Pieces { get; } = new();

    public ChunkBitmap? Bitfield { get; private set; }

    public void OnBitfield(PeerLink link, ChunkBitmap bitfield)
    {
        Bitfield = bitfield;
        Add("bitfield");
    }

    public void OnHave(PeerLink link, int index) => Add($"have {index}");

    public void OnPiece(PeerLink link, int index, PieceData data)
    {
        using (data)
        {
            Pieces[index] = data.Memory.ToArray();
        }

        Add($"piece {index}");
    }

    public void OnReject(PeerLink link, int index, RejectReason reason) => Add($"reject {index} {reason}");

    public void OnClosed(PeerLink link, string reason) => Add("closed");

    /// <summary>The next thing heard, in order.</summary>
    public async Task<string> NextAsync(CancellationToken ct)
    {
        await _arrived.WaitAsync(ct);
        Assert.True(_events.TryDequeue(out var next));
        return next;
    }

    private void Add(string text)
    {
        _events.Enqueue(text);
        _arrived.Release();
    }
}
