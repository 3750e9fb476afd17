using Microsoft.Data.Sqlite;

namespace P2PShare.Peer.Storage;

/// <summary>
/// The state.db schema as an ordered list of migrations; <c>PRAGMA user_version</c> records how many have run.
/// Append new steps, never edit old ones.
/// </summary>
internal static class StateSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE shared_files (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ticks INTEGER NOT NULL,
            file_id TEXT NOT NULL,
            name TEXT NOT NULL,
            chunk_hashes BLOB NOT NULL,
            shared INTEGER NOT NULL DEFAULT 1,
            indexed_at_ticks INTEGER NOT NULL
        );
        CREATE INDEX shared_files_by_id ON shared_files(file_id);
        CREATE TABLE downloads (
            file_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            chunk_hashes BLOB NOT NULL,
            state TEXT NOT NULL,
            output_dir TEXT,
            final_path TEXT,
            bitmap BLOB NOT NULL,
            verified_bytes INTEGER NOT NULL,
            error TEXT,
            created_at_ticks INTEGER NOT NULL,
            updated_at_ticks INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE dht_contacts (
            address TEXT NOT NULL,
            port INTEGER NOT NULL,
            node_id TEXT NOT NULL,
            PRIMARY KEY (address, port)
        );
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Brings the schema up to date inside one transaction.</summary>
    /// <exception cref="StateDatabaseException">The file was written by a newer peer.</exception>
    public static void Migrate(SqliteConnection connection, string path)
    {
        using var transaction = connection.BeginTransaction();
        int version = ReadVersion(connection, transaction);
        if (version > CurrentVersion)
        {
            throw new StateDatabaseException(
                $"{path} has schema version {version}, but this peer knows only up to {CurrentVersion}; " +
                "run a newer peer, or move the file aside to start with an empty state.");
        }

        for (int step = version; step < Migrations.Length; step++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[step] + $"\nPRAGMA user_version = {step + 1};";
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static int ReadVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
