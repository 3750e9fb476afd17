using Microsoft.Data.Sqlite;
using P2PShare.Core.Manifests;

namespace P2PShare.Peer.Storage;

/// <summary>The SQL behind <see cref="SharedFileIndex"/>: one method per statement on the shared_files table.</summary>
internal static class SharedFileRows
{
    /// <summary>Every row without its chunk hashes (those are loaded only when a manifest is needed).</summary>
    public static List<(string StoredPath, long Size, long ModifiedTicks, string FileId, string Name, bool Shared)> LoadAll(SqliteConnection connection)
    {
        var rows = new List<(string, long, long, string, string, bool)>();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT path, size, mtime_ticks, file_id, name, shared FROM shared_files;";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5) != 0));
        }

        return rows;
    }

    public static void Upsert(SqliteConnection connection, string storedPath, SharedFile file, FileManifest manifest, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO shared_files (path, size, mtime_ticks, file_id, name, chunk_hashes, shared, indexed_at_ticks)
            VALUES ($path, $size, $mtime, $id, $name, $hashes, $shared, $now)
            ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ticks = excluded.mtime_ticks, file_id = excluded.file_id,
                name = excluded.name, chunk_hashes = excluded.chunk_hashes, shared = excluded.shared, indexed_at_ticks = excluded.indexed_at_ticks;
            """;
        command.Parameters.AddWithValue("$path", storedPath);
        command.Parameters.AddWithValue("$size", file.Size);
        command.Parameters.AddWithValue("$mtime", file.ModifiedTicks);
        command.Parameters.AddWithValue("$id", file.FileId);
        command.Parameters.AddWithValue("$name", file.Name);
        command.Parameters.AddWithValue("$hashes", StoredManifest.ToBlob(manifest));
        command.Parameters.AddWithValue("$shared", file.Shared ? 1 : 0);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.ExecuteNonQuery();
    }

    /// <summary>The stored manifest of the row at <paramref name="storedPath"/>, or null when missing or damaged.</summary>
    public static FileManifest? LoadManifest(SqliteConnection connection, string storedPath)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT file_id, name, size, chunk_hashes FROM shared_files WHERE path = $path;";
        command.Parameters.AddWithValue("$path", storedPath);
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoredManifest.FromBlob(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), (byte[])reader[3]) : null;
    }

    public static void SetShared(SqliteConnection connection, string storedPath, bool shared)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE shared_files SET shared = $shared WHERE path = $path;";
        command.Parameters.AddWithValue("$path", storedPath);
        command.Parameters.AddWithValue("$shared", shared ? 1 : 0);
        command.ExecuteNonQuery();
    }

    public static bool Delete(SqliteConnection connection, string storedPath)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM shared_files WHERE path = $path;";
        command.Parameters.AddWithValue("$path", storedPath);
        return command.ExecuteNonQuery() > 0;
    }
}
