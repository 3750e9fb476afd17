using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The peer's state.db: one SQLite connection in WAL mode with <c>synchronous=FULL</c>, so a commit that has
/// returned survives a process kill and a power cut alike. Callers take turns through a semaphore. A file that
/// SQLite reports as corrupt or not a database is moved aside (<c>state.db.corrupt-&lt;time&gt;</c>) and a fresh
/// one is created; <see cref="MovedAsideTo"/> says where the old one went.
/// </summary>
internal sealed partial class StateDatabase : IAsyncDisposable
{
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteNotADatabase = 26;

    private readonly SqliteConnection _connection;
    private readonly FileStream _lock;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private StateDatabase(string path, SqliteConnection connection, FileStream lockFile, string? movedAsideTo)
    {
        Path = path;
        _connection = connection;
        _lock = lockFile;
        MovedAsideTo = movedAsideTo;
    }

    public string Path { get; }

    /// <summary>Where a corrupt state.db was moved at open, or null when the existing one was fine.</summary>
    public string? MovedAsideTo { get; }

    /// <summary>Opens (creating if needed) state.db under <paramref name="paths"/> and takes the data-dir lock.</summary>
    /// <exception cref="StateDatabaseException">Another peer holds the lock, the schema is newer, or the file cannot be opened.</exception>
    public static StateDatabase Open(PeerPaths paths, TimeProvider time, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        try
        {
            paths.EnsureCreated();
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            throw new StateDatabaseException(StorageErrors.Describe($"cannot create {paths.PartialDir}", ex), ex);
        }

        var lockFile = TakeLock(paths);
        try
        {
            string? movedAsideTo = null;
            SqliteConnection connection;
            try
            {
                connection = OpenAndCheck(paths.StateDatabase);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
            {
                movedAsideTo = MoveAside(paths.StateDatabase, time);
                Log.MovedCorruptDatabase(logger, paths.StateDatabase, movedAsideTo, ex.Message);
                connection = OpenAndCheck(paths.StateDatabase);
            }

            return new StateDatabase(paths.StateDatabase, connection, lockFile, movedAsideTo);
        }
        catch (SqliteException ex)
        {
            lockFile.Dispose();
            throw new StateDatabaseException($"cannot open {paths.StateDatabase}: {Describe(ex)}", ex);
        }
        catch (Exception ex) when (StorageErrors.IsExpected(ex))
        {
            lockFile.Dispose();
            throw new StateDatabaseException(StorageErrors.Describe($"cannot create {paths.StateDatabase}", ex), ex);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> alone on the connection; SQLite failures become <see cref="StateDatabaseException"/>.</summary>
    public async Task<T> ExecuteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_connection);
        }
        catch (SqliteException ex)
        {
            throw new StateDatabaseException($"{Path}: {Describe(ex)}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, committed when it returns and rolled back when it throws.</summary>
    public Task<T> ExecuteInTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        ExecuteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction();
            T result = work(connection, transaction);
            transaction.Commit();
            return result;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await _connection.DisposeAsync().ConfigureAwait(false);
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static FileStream TakeLock(PeerPaths paths)
    {
        try
        {
            return OwnerOnly.OpenExclusive(paths.LockFile);
        }
        catch (IOException ex)
        {
            throw new StateDatabaseException(
                $"{paths.DataDir} is in use by another peer (cannot lock {paths.LockFile}: {ex.Message}); " +
                "give each peer its own data directory.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StateDatabaseException(StorageErrors.Describe($"cannot open {paths.LockFile}", ex), ex);
        }
    }

    private static SqliteConnection OpenAndCheck(string path)
    {
        // SQLite creates a missing database 0644 and gives its -wal and -shm the database file's mode, so the file
        // is created (empty, which SQLite takes as a new database) 0600 first and any older, looser one narrowed.
        OwnerOnly.CreateEmptyFile(path);
        OwnerOnly.NarrowIfExists(path + "-wal");
        OwnerOnly.NarrowIfExists(path + "-shm");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;";
                command.ExecuteNonQuery();
                command.CommandText = "PRAGMA quick_check;";
                string? verdict = command.ExecuteScalar() as string;
                if (verdict != "ok")
                {
                    throw new SqliteException($"quick_check reports: {verdict}", SqliteCorrupt);
                }
            }

            StateSchema.Migrate(connection, path);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static string MoveAside(string path, TimeProvider time)
    {
        string stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string target = $"{path}.corrupt-{stamp}";
        for (int n = 1; File.Exists(target); n++)
        {
            target = $"{path}.corrupt-{stamp}-{n}";
        }

        File.Move(path, target);
        foreach (string suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, target + suffix);
            }
        }

        return target;
    }

    private static string Describe(SqliteException ex) => ex.SqliteErrorCode switch
    {
        SqliteFull => "the disk is full; free some space and retry (nothing recorded so far is lost)",
        SqliteCorrupt or SqliteNotADatabase =>
            $"the database is damaged ({ex.Message}); stop the peer and move state.db aside — it will be rebuilt, " +
            "shared files are re-indexed and partial downloads recovered from their .part files",
        _ => ex.Message,
    };
}
