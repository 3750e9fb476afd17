using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using P2PShare.Peer.Storage;

namespace P2PShare.Peer.Tests.Storage;

public sealed class StateDatabaseTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("p2pshare-db-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));

    private PeerPaths Paths => new(Path.Combine(_root, "data"));

    [Fact]
    public async Task Open_EmptyDataDir_CreatesStateDirAndCurrentSchema()
    {
        using var timeout = StorageFixture.Timeout();
        await using var db = StateDatabase.Open(Paths, _time);

        var (version, journal, synchronous) = await db.ExecuteAsync(c => (Pragma(c, "user_version"), Pragma(c, "journal_mode"), Pragma(c, "synchronous")), timeout.Token);

        Assert.True(Directory.Exists(Paths.PartialDir));
        Assert.True(File.Exists(Paths.StateDatabase));
        Assert.Equal(StateSchema.CurrentVersion.ToString(), version);
        Assert.Equal("wal", journal);
        Assert.Equal("2", synchronous); // FULL
        Assert.Null(db.MovedAsideTo);
    }

    [Fact]
    public async Task Open_SecondPeerOnSameDataDir_FailsWithClearError()
    {
        await using var first = StateDatabase.Open(Paths, _time);

        var ex = Assert.Throws<StateDatabaseException>(() => StateDatabase.Open(Paths, _time));

        Assert.Contains("in use by another peer", ex.Message);
    }

    [Fact]
    public void Open_DataDirUnderAFile_ClearError()
    {
        string file = Path.Combine(_root, "not-a-directory");
        File.WriteAllText(file, "x");

        var ex = Assert.Throws<StateDatabaseException>(() => StateDatabase.Open(new PeerPaths(Path.Combine(file, "data")), _time));

        Assert.Contains("cannot create", ex.Message);
    }

    [Fact]
    public async Task Open_AfterFirstClosed_Succeeds()
    {
        await (StateDatabase.Open(Paths, _time)).DisposeAsync();

        await using var again = StateDatabase.Open(Paths, _time);

        Assert.Null(again.MovedAsideTo);
    }

    [Fact]
    public async Task Open_GarbageFile_MovesItAsideAndStartsFresh()
    {
        using var timeout = StorageFixture.Timeout();
        Paths.EnsureCreated();
        byte[] garbage = System.Text.Encoding.ASCII.GetBytes(new string('x', 8192));
        await File.WriteAllBytesAsync(Paths.StateDatabase, garbage, timeout.Token);

        await using var db = StateDatabase.Open(Paths, _time);

        Assert.Equal(Paths.StateDatabase + ".corrupt-20250304T050607Z", db.MovedAsideTo);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(db.MovedAsideTo!, timeout.Token)); // kept, not deleted
        Assert.Equal(StateSchema.CurrentVersion.ToString(), await db.ExecuteAsync(c => Pragma(c, "user_version"), timeout.Token));
    }

    [Fact]
    public async Task Open_DamagedPages_MovesItAsideAndStartsFresh()
    {
        using var timeout = StorageFixture.Timeout();
        await using (var db = StateDatabase.Open(Paths, _time))
        {
            await db.ExecuteAsync(c => Exec(c, "CREATE TABLE filler(x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) INSERT INTO filler SELECT randomblob(3000) FROM n;"), timeout.Token);
        }

        byte[] bytes = await File.ReadAllBytesAsync(Paths.StateDatabase, timeout.Token);
        Array.Fill(bytes, (byte)0xA5, 4096, bytes.Length - 4096); // everything after page 1
        await File.WriteAllBytesAsync(Paths.StateDatabase, bytes, timeout.Token);

        await using var reopened = StateDatabase.Open(Paths, _time);

        Assert.NotNull(reopened.MovedAsideTo);
        Assert.True(File.Exists(reopened.MovedAsideTo));
    }

    [Fact]
    public async Task Open_NewerSchemaVersion_RefusesWithClearError()
    {
        using var timeout = StorageFixture.Timeout();
        await using (var db = StateDatabase.Open(Paths, _time))
        {
            await db.ExecuteAsync(c => Exec(c, "PRAGMA user_version = 999;"), timeout.Token);
        }

        var ex = Assert.Throws<StateDatabaseException>(() => StateDatabase.Open(Paths, _time));

        Assert.Contains("schema version 999", ex.Message);
        Assert.True(File.Exists(Paths.StateDatabase)); // left alone for the newer peer
    }

    [Fact]
    public async Task ExecuteAsync_SqlError_BecomesStateDatabaseException()
    {
        using var timeout = StorageFixture.Timeout();
        await using var db = StateDatabase.Open(Paths, _time);

        await Assert.ThrowsAsync<StateDatabaseException>(() => db.ExecuteAsync(c => Exec(c, "SELECT * FROM no_such_table;"), timeout.Token));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static int Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
