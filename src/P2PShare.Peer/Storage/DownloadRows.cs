using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace P2PShare.Peer.Storage;

/// <summary>The SQL behind <see cref="DownloadStore"/>: one method per statement on the downloads table.</summary>
internal static partial class DownloadRows
{
    private const string Columns =
        "file_id, name, size, chunk_hashes, state, output_dir, final_path, bitmap, verified_bytes, error, created_at_ticks, updated_at_ticks";

    public static Dictionary<string, DownloadStore.Entry> LoadAll(SqliteConnection connection, ILogger logger)
    {
        var entries = new Dictionary<string, DownloadStore.Entry>(StringComparer.Ordinal);
        var damaged = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {Columns} FROM downloads;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                string fileId = reader.GetString(0);
                var manifest = StoredManifest.FromBlob(fileId, reader.GetString(1), reader.GetInt64(2), (byte[])reader[3]);
                if (manifest is null)
                {
                    Log.DroppedDamagedDownload(logger, fileId);
                    damaged.Add(fileId);
                    continue;
                }

                var bitmap = ChunkBitmap.FromBytes((byte[])reader[7], manifest.ChunkCount);
                if (bitmap is null)
                {
                    Log.ResetDamagedBitmap(logger, fileId);
                    bitmap = new ChunkBitmap(manifest.ChunkCount);
                }

                if (!Enum.TryParse<DownloadState>(reader.GetString(4), ignoreCase: true, out var state))
                {
                    state = DownloadState.Paused;
                }

                var entry = new DownloadStore.Entry(manifest, bitmap, state, new DateTimeOffset(reader.GetInt64(10), TimeSpan.Zero))
                {
                    OutputDirectory = reader.IsDBNull(5) ? null : reader.GetString(5),
                    FinalPath = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Error = reader.IsDBNull(9) ? null : reader.GetString(9),
                    UpdatedAt = new DateTimeOffset(reader.GetInt64(11), TimeSpan.Zero),
                };
                entry.VerifiedBytes = VerifiedBytes(entry);
                entries[fileId] = entry;
            }
        }

        foreach (string fileId in damaged)
        {
            Delete(connection, fileId);
        }

        return entries;
    }

    public static void Insert(SqliteConnection connection, DownloadStore.Entry entry)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO downloads ({Columns}) VALUES ($id, $name, $size, $hashes, $state, $out, $final, $bitmap, $bytes, $error, $created, $updated);";
        command.Parameters.AddWithValue("$id", entry.Manifest.Hash);
        command.Parameters.AddWithValue("$name", entry.Manifest.Name);
        command.Parameters.AddWithValue("$size", entry.Manifest.Size);
        command.Parameters.AddWithValue("$hashes", StoredManifest.ToBlob(entry.Manifest));
        command.Parameters.AddWithValue("$created", entry.CreatedAt.UtcTicks);
        AddMutableColumns(command, entry);
        command.ExecuteNonQuery();
    }

    public static void UpdateBitmap(SqliteConnection connection, string fileId, byte[] bitmap, long verifiedBytes, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE downloads SET bitmap = $bitmap, verified_bytes = $bytes, updated_at_ticks = $updated WHERE file_id = $id;";
        command.Parameters.AddWithValue("$id", fileId);
        command.Parameters.AddWithValue("$bitmap", bitmap);
        command.Parameters.AddWithValue("$bytes", verifiedBytes);
        command.Parameters.AddWithValue("$updated", now.UtcTicks);
        command.ExecuteNonQuery();
    }

    public static void UpdateAll(SqliteConnection connection, DownloadStore.Entry entry)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE downloads SET state = $state, output_dir = $out, final_path = $final, bitmap = $bitmap,
                verified_bytes = $bytes, error = $error, updated_at_ticks = $updated
            WHERE file_id = $id;
            """;
        command.Parameters.AddWithValue("$id", entry.Manifest.Hash);
        AddMutableColumns(command, entry);
        command.ExecuteNonQuery();
    }

    public static bool Delete(SqliteConnection connection, string fileId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM downloads WHERE file_id = $id;";
        command.Parameters.AddWithValue("$id", fileId);
        return command.ExecuteNonQuery() > 0;
    }

    private static void AddMutableColumns(SqliteCommand command, DownloadStore.Entry entry)
    {
        command.Parameters.AddWithValue("$state", entry.State.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$out", (object?)entry.OutputDirectory ?? DBNull.Value);
        command.Parameters.AddWithValue("$final", (object?)entry.FinalPath ?? DBNull.Value);
        command.Parameters.AddWithValue("$bitmap", entry.Bitmap.ToBytes());
        command.Parameters.AddWithValue("$bytes", entry.VerifiedBytes);
        command.Parameters.AddWithValue("$error", (object?)entry.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$updated", entry.UpdatedAt.UtcTicks);
    }

    private static long VerifiedBytes(DownloadStore.Entry entry)
    {
        long bytes = 0;
        for (int i = 0; i < entry.Bitmap.Count; i++)
        {
            if (entry.Bitmap[i])
            {
                bytes += entry.Layout.LengthOf(i);
            }
        }

        return bytes;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Warning,
            Message = "state.db: download {FileId} has a damaged manifest and was dropped; starting it again recovers its verified chunks from the .part file")]
        public static partial void DroppedDamagedDownload(ILogger logger, string fileId);

        [LoggerMessage(EventId = 5011, Level = LogLevel.Warning,
            Message = "state.db: download {FileId} has a damaged chunk bitmap; its chunks will be downloaded again")]
        public static partial void ResetDamagedBitmap(ILogger logger, string fileId);
    }
}
