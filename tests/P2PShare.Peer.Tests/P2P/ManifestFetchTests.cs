using System.Text;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Chunking;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Downloader.HolderSources;
using P2PShare.Peer.Tests.Storage;

namespace P2PShare.Peer.Tests.P2P;

/// <summary>
/// The asking side of ManifestRequest over two real PeerLinks (handshake, framing, storage): what a downloader does
/// when the tracker cannot give a manifest, and the check of what arrives against the file ID.
/// </summary>
public sealed class ManifestFetchTests : IAsyncLifetime
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
    public async Task A_holders_manifest_arrives_and_checks_out_against_the_file_id()
    {
        var (fileId, _) = await _seeder.ShareAsync("a.bin", (3 * ChunkLayout.DefaultChunkSize) + 10, Ct);
        var (link, _) = await _leecher.ConnectAsync(_seeder, Ct);

        byte[] json = await link.FetchManifestJsonAsync(fileId, ManifestFromHolders.MaxManifestBytes, Ct);

        Assert.True(ManifestFromHolders.Verify(fileId, json, out var manifest, out string? error), error);
        Assert.Equal(fileId, manifest!.Hash);
        Assert.Equal(4, manifest.ChunkCount);
        Assert.Equal("a.bin", manifest.Name);
    }

    [Fact]
    public async Task A_holder_without_the_manifest_ends_the_fetch_with_a_clear_error()
    {
        var (link, _) = await _leecher.ConnectAsync(_seeder, Ct);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => link.FetchManifestJsonAsync(UnknownFile, ManifestFromHolders.MaxManifestBytes, Ct));

        Assert.Contains("no manifest", ex.Message);
        Assert.False(link.IsClosed);
    }

    [Fact]
    public async Task A_manifest_longer_than_the_askers_bound_is_refused()
    {
        var (fileId, _) = await _seeder.ShareAsync("a.bin", 1000, Ct);
        var (link, _) = await _leecher.ConnectAsync(_seeder, Ct);

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => link.FetchManifestJsonAsync(fileId, 50, Ct));

        Assert.Contains("at most 50", ex.Message);
    }

    [Fact]
    public async Task A_manifest_of_another_file_or_one_that_does_not_hash_to_the_id_is_rejected()
    {
        var (fileId, _) = await _seeder.ShareAsync("a.bin", 1000, Ct);
        var (otherId, _) = await _seeder.ShareAsync("b.bin", 2000, Ct);
        var manifest = (await _seeder.Storage.Index.GetManifestAsync(otherId, Ct))!;
        byte[] other = Encoding.UTF8.GetBytes(ManifestJson.Serialize(manifest, indented: false));
        byte[] forged = Encoding.UTF8.GetBytes(ManifestJson.Serialize(manifest with { Hash = fileId }, indented: false));

        Assert.False(ManifestFromHolders.Verify(fileId, other, out _, out string? otherError));
        Assert.Contains(otherId, otherError);
        Assert.False(ManifestFromHolders.Verify(fileId, forged, out _, out string? forgedError));
        Assert.Contains("Merkle root", forgedError);
        Assert.False(ManifestFromHolders.Verify(fileId, [0xff, 0xfe, 0x00], out _, out string? garbage));
        Assert.NotNull(garbage);
    }

    public async ValueTask DisposeAsync()
    {
        await _leecher.DisposeAsync();
        await _seeder.DisposeAsync();
        _timeout.Dispose();
    }
}
