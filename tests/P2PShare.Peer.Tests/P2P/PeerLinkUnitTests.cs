using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Chunking;
using P2PShare.Core.Crypto;
using P2PShare.Core.Protocol;
using P2PShare.Core.Protocol.Framing;
using P2PShare.Core.Protocol.Messages;
using P2PShare.Peer.P2P;
using P2PShare.Peer.Storage;
using P2PShare.Peer.Tests.Storage;

namespace P2PShare.Peer.Tests.P2P;

/// <summary>Two real PeerLinks (real handshake, framing, storage) over an in-memory connection, on a fake clock.</summary>
public sealed class PeerLinkUnitTests : IAsyncLifetime
{
    private const string UnknownFile = "00000000000000000000000000000000000000000000000000000000000000aa";

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly LogCapture _logs = new();
    private readonly CancellationTokenSource _timeout = StorageFixture.Timeout();
    private LinkNodeForUnitTests _seeder = null!;
    private LinkNodeForUnitTests _leecher = null!;

    private CancellationToken Ct => _timeout.Token;

    public async ValueTask InitializeAsync()
    {
        _seeder = await LinkNodeForUnitTests.CreateAsync(_time, _logs, Ct);
        _leecher = await LinkNodeForUnitTests.CreateAsync(_time, _logs, Ct);
    }

    [Fact]
    public async Task Request_SharedChunks_ArriveAsPiecesWithTheFilesBytes()
    {
        var (fileId, content) = await _seeder.ShareAsync("a.bin", (2 * ChunkLayout.DefaultChunkSize) + 1000, Ct);
        var (link, _) = await _leecher.ConnectAsync(_seeder, Ct);
        var listener = new RecordingListener();
        link.Attach(fileId, listener);

        await link.SendRequestsAsync(fileId, [2, 0]);

        Assert.Equal("piece 2", await listener.NextAsync(Ct));
        Assert.Equal("piece 0", await listener.NextAsync(Ct));
        Assert.Equal(content[(2 * ChunkLayout.DefaultChunkSize)..], listener.Pieces[2]);
        Assert.Equal(content[..ChunkLayout.DefaultChunkSize], listener.Pieces[0]);
    }

    [Fact]
    public async Task Request_FileOrChunkNotHeld_RejectedNotAvailable()
    {
        var (fileId, _) = await _seeder.ShareAsync("a.bin", 1000, Ct);
        var (link, _) = await _leecher.ConnectAsync(_seeder, Ct);
        var known = new RecordingListener();
        var unknown = new RecordingListener();
        link.Attach(fileId, known);
        link.Attach(UnknownFile, unknown);

        await link.SendRequestsAsync(UnknownFile, [0]);
        await link.SendRequestsAsync(fileId, [5]);

        Assert.Equal($"reject 0 {RejectReason.NotAvailable}", await unknown.NextAsync(Ct));
        Assert.Equal($"reject 5 {RejectReason.NotAvailable}", await known.NextAsync(Ct));
    }

    [Fact]
    public async Task Bitfield_FromADownloader_AnsweredWithWhatTheSeederHolds()
    {
        var (fileId, _) = await _seeder.ShareAsync("a.bin", (3 * ChunkLayout.DefaultChunkSize) - 5, Ct);
        var (link, theirs) = await _leecher.ConnectAsync(_seeder, Ct);
        var listener = new RecordingListener();
        link.Attach(fileId, listener);

        await link.SendBitfieldAsync(fileId, new ChunkBitmap(3), Ct);

        Assert.Equal("bitfield", await listener.NextAsync(Ct));
        Assert.Equal(3, listener.Bitfield!.Count);
        Assert.True(Enumerable.Range(0, 3).All(listener.Bitfield.Get));
        Assert.True(theirs.IsInterestedIn(fileId));
    }

    [Fact]
    public async Task Attach_AfterADownloadDetached_HearsTheRemotesBitfieldAgain()
    {
        // The remote answers a Bitfield once per link; a resumed download on the same link must still learn it.
        var (fileId, _) = await _seeder.ShareAsync("a.bin", (3 * ChunkLayout.DefaultChunkSize) - 5, Ct);
        var (link, theirs) = await _leecher.ConnectAsync(_seeder, Ct);
        var paused = new RecordingListener();
        link.Attach(fileId, paused);
        await link.SendBitfieldAsync(fileId, new ChunkBitmap(3), Ct);
        Assert.Equal("bitfield", await paused.NextAsync(Ct));
        link.Detach(fileId);

        var resumed = new RecordingListener();
        link.Attach(fileId, resumed);

        Assert.Equal("bitfield", await resumed.NextAsync(Ct));
        Assert.Equal(3, resumed.Bitfield!.Count);
        Assert.True(Enumerable.Range(0, 3).All(resumed.Bitfield.Get));
    }

    [Fact]
    public async Task Dispose_OneSide_TheOtherSideClosesAndTellsItsListeners()
    {
        var (fileId, _) = await _seeder.ShareAsync("a.bin", 1000, Ct);
        var (link, theirs) = await _leecher.ConnectAsync(_seeder, Ct);
        var listener = new RecordingListener();
        link.Attach(fileId, listener);

        await theirs.DisposeAsync();

        Assert.Equal("closed by remote", await link.Closed.WaitAsync(Ct));
        Assert.Equal("closed", await listener.NextAsync(Ct));
        Assert.Equal(0, _leecher.Directory.Count);
    }

    [Fact]
    public async Task KeepAlive_BothSidesAlive_LinkOutlivesTheIdleTimeout()
    {
        var (link, theirs) = await _leecher.ConnectAsync(_seeder, Ct);

        await AdvanceAsync(TimeSpan.FromMinutes(6), () => link.IsClosed || theirs.IsClosed);

        Assert.False(link.IsClosed, link.IsClosed ? await link.Closed : "");
        Assert.False(theirs.IsClosed, theirs.IsClosed ? await theirs.Closed : "");
    }

    [Fact]
    public async Task KeepAlive_RemoteSendsNothing_LinkClosesAfterTheIdleTimeout()
    {
        // The remote end is a bare secure channel that answers Hello and then stays silent.
        var (client, server) = InMemoryConnection.CreatePair();
        await using var _ = client;
        using var silent = PeerIdentity.Generate();
        var accept = _seeder.Factory.AcceptAsync(server, Ct);
        await using var secure = await SecureChannel.ConnectAsync(client.Stream, silent, _seeder.Identity.PublicKey, Ct);
        var reader = FrameReader.Create(secure, leaveOpen: true);
        await using var __ = reader;
        using var writer = new FrameWriter(secure);
        var hello = await HelloExchange.RunAsync(reader, writer, Hello.ForThisBuild(silent.PeerId, 1, "silent"), _seeder.Identity.PeerId, Ct);
        Assert.True(hello.Succeeded);
        await using var link = await accept;
        var started = _time.GetUtcNow();

        await AdvanceAsync(TimeSpan.FromMinutes(6), () => link.IsClosed);

        Assert.Equal("idle timeout", await link.Closed.WaitAsync(Ct));
        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromSeconds(120), $"closed after {_time.GetUtcNow() - started} of fake time");
    }

    public async ValueTask DisposeAsync()
    {
        await _leecher.DisposeAsync();
        await _seeder.DisposeAsync();
        _timeout.Dispose();
    }

    /// <summary>Moves the clock in keep-alive-sized steps, giving the links' loops a moment to run after each.</summary>
    private async Task AdvanceAsync(TimeSpan total, Func<bool> stop)
    {
        for (var passed = TimeSpan.Zero; passed < total && !stop(); passed += TimeSpan.FromSeconds(10))
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(20, Ct);
        }
    }
}
