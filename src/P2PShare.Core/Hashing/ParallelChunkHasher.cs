using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using P2PShare.Core.Chunking;

namespace P2PShare.Core.Hashing;

/// <summary>
/// Hashes every chunk of a file on all cores. Each worker owns one pooled chunk buffer and claims the next
/// chunk index, so memory stays at workers × chunk size and every byte is read exactly once.
/// </summary>
public static class ParallelChunkHasher
{
    public static Task<ChunkHashes> HashFileAsync(string path, CancellationToken cancellationToken = default) =>
        HashFileAsync(path, Environment.ProcessorCount, cancellationToken);

    public static async Task<ChunkHashes> HashFileAsync(string path, int workers, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        using var reader = ChunkFileReader.Open(path);
        var hashes = new ChunkHashes(reader.Layout.ChunkCount);
        var next = new StrongBox<int>(-1);
        int workerCount = Math.Min(workers, Math.Max(1, reader.Layout.ChunkCount));
        var tasks = new Task[workerCount];
        for (int w = 0; w < workerCount; w++)
        {
            tasks[w] = Task.Factory.StartNew(
                () => HashClaimedChunks(reader, hashes, next, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        return hashes;
    }

    private static void HashClaimedChunks(ChunkFileReader reader, ChunkHashes hashes, StrongBox<int> next, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(reader.Layout.ChunkSize);
        try
        {
            int index;
            while ((index = Interlocked.Increment(ref next.Value)) < hashes.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int length = reader.ReadChunk(index, buffer);
                SHA256.HashData(buffer.AsSpan(0, length), hashes.Slot(index));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
