using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Core.Manifests;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

/// <summary>A fresh DATA_DIR in a temp directory with state.db and the stores opened on it; deleted on dispose.</summary>
internal sealed class StorageFixture : IAsyncDisposable
{
    private StorageFixture(string root)
    {
        Root = root;
        Paths = new PeerPaths(Path.Combine(root, "data"));
    }

    public string Root { get; }

    public PeerPaths Paths { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public StateDatabase Db { get; private set; } = null!;

    public SharedFileIndex Index { get; private set; } = null!;

    public DownloadStore Downloads { get; private set; } = null!;

    public static async Task<StorageFixture> CreateAsync(CancellationToken cancellationToken)
    {
        var fixture = new StorageFixture(Directory.CreateTempSubdirectory("p2pshare-storage-").FullName);
        await fixture.OpenAsync(cancellationToken);
        return fixture;
    }

    /// <summary>A token that fails the test after <paramref name="seconds"/> even if the code under test hangs.</summary>
    public static CancellationTokenSource Timeout(int seconds = 30)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(seconds));
        return cts;
    }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        Db = StateDatabase.Open(Paths, Time);
        Index = await SharedFileIndex.OpenAsync(Db, Paths, Time, cancellationToken);
        Downloads = await DownloadStore.OpenAsync(Db, Time, null, cancellationToken);
    }

    /// <summary>Closes state.db and opens it again, as a restarted peer would.</summary>
    public async Task ReopenAsync(CancellationToken cancellationToken)
    {
        await Db.DisposeAsync();
        await OpenAsync(cancellationToken);
    }

    /// <summary>Writes <paramref name="size"/> random bytes to DATA_DIR/<paramref name="name"/>.</summary>
    public string WriteDataFile(string name, int size)
    {
        string path = Path.Combine(Paths.DataDir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(size));
        return path;
    }

    /// <summary>Random content and its manifest, built the way a seeding peer would.</summary>
    public async Task<(byte[] Content, FileManifest Manifest)> MakeContentAsync(string name, int size, CancellationToken cancellationToken)
    {
        byte[] content = RandomNumberGenerator.GetBytes(size);
        string source = Path.Combine(Root, "source-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(source, content, cancellationToken);
        var manifest = await ManifestBuilder.BuildAsync(source, cancellationToken);
        File.Delete(source);
        return (content, manifest with { Name = name });
    }

    public async ValueTask DisposeAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }
}
