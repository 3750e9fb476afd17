using System.Runtime.Versioning;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Control;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

/// <summary>Nothing in DATA_DIR/.p2pshare may be readable by another local user.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class StateDirModeTests : IDisposable
{
    private const UnixFileMode Owner0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Owner0700 = Owner0600 | UnixFileMode.UserExecute;
    private const UnixFileMode Open0755 = Owner0700 | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
    private const UnixFileMode Open0644 = Owner0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _root = Directory.CreateTempSubdirectory("p2pshare-modes-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private PeerPaths Paths => new(Path.Combine(_root, "data"));

    [Fact]
    public async Task Open_NewDataDir_StateDirIs0700AndEveryFileIn0600()
    {
        using var timeout = StorageFixture.Timeout();
        await using var db = StateDatabase.Open(Paths, _time);
        await db.ExecuteAsync(c => { using var cmd = c.CreateCommand(); cmd.CommandText = "CREATE TABLE probe(x); INSERT INTO probe VALUES (1);"; return cmd.ExecuteNonQuery(); }, timeout.Token);

        Assert.Equal(Owner0700, File.GetUnixFileMode(Paths.StateDir));
        Assert.Equal(Owner0700, File.GetUnixFileMode(Paths.PartialDir));
        Assert.True(File.Exists(Paths.StateDatabase + "-wal"), "state.db-wal exists while the database is open");
        foreach (string file in new[] { Paths.StateDatabase, Paths.StateDatabase + "-wal", Paths.StateDatabase + "-shm", Paths.LockFile })
        {
            Assert.Equal(Owner0600, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task Open_ExistingStateOpenToOthers_IsNarrowed()
    {
        await StateDatabase.Open(Paths, _time).DisposeAsync();
        File.SetUnixFileMode(Paths.StateDir, Open0755);
        File.SetUnixFileMode(Paths.PartialDir, Open0755);
        File.SetUnixFileMode(Paths.StateDatabase, Open0644);
        File.SetUnixFileMode(Paths.LockFile, Open0644);

        await using var db = StateDatabase.Open(Paths, _time);

        Assert.Equal(Owner0700, File.GetUnixFileMode(Paths.StateDir));
        Assert.Equal(Owner0700, File.GetUnixFileMode(Paths.PartialDir));
        Assert.Equal(Owner0600, File.GetUnixFileMode(Paths.StateDatabase));
        Assert.Equal(Owner0600, File.GetUnixFileMode(Paths.StateDatabase + "-wal"));
        Assert.Equal(Owner0600, File.GetUnixFileMode(Paths.LockFile));
    }

    [Fact]
    public void ControlFile_Write_Is0600AndLeavesNoTemporaryFile()
    {
        Paths.EnsureCreated();

        new ControlEndpointFile("http://127.0.0.1:1", "secret-token", Environment.ProcessId).Write(Paths.StateDir);

        Assert.Equal(Owner0600, File.GetUnixFileMode(ControlEndpointFile.PathFor(Paths.StateDir)));
        Assert.Equal(["control.json"], Directory.GetFiles(Paths.StateDir).Select(Path.GetFileName).Where(n => n!.StartsWith("control", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Another user who opened a file at the temporary path while it was readable keeps that descriptor after any
    /// chmod: the token must never be written into a file that was ever open to others.
    /// </summary>
    [Fact]
    public void ControlFile_Write_NeverWritesTheTokenIntoAFileOthersCouldOpen()
    {
        Paths.EnsureCreated();
        string stale = ControlEndpointFile.PathFor(Paths.StateDir) + ".tmp";
        File.WriteAllText(stale, "");
        File.SetUnixFileMode(stale, Open0644);
        using var othersView = new FileStream(stale, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        new ControlEndpointFile("http://127.0.0.1:1", "secret-token", Environment.ProcessId).Write(Paths.StateDir);

        using var reader = new StreamReader(othersView);
        Assert.DoesNotContain("secret-token", reader.ReadToEnd(), StringComparison.Ordinal);
        Assert.Equal("secret-token", ControlEndpointFile.ReadLive(Paths.StateDir)?.Token);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
