namespace P2PShare.Peer.Downloader.HolderSources;

/// <summary>One place that lists the holders of a file: the tracker or the DHT.</summary>
internal interface IHolderSource
{
    HolderOrigin Origin { get; }

    /// <summary>The holders this source knows of; throws <see cref="HolderSourceException"/> when it cannot answer.</summary>
    Task<IReadOnlyList<HolderCandidate>> FindAsync(string fileId, CancellationToken ct);
}

/// <summary>A holder source that could not answer (tracker unreachable, DHT without contacts).</summary>
internal sealed class HolderSourceException(string message, Exception? inner = null) : Exception(message, inner);
