namespace P2PShare.Core.Protocol;

/// <summary>Why a Request or ManifestRequest is refused (listed in docs/protocol.md). Unknown values are kept as is.</summary>
public enum RejectReason : byte
{
    /// <summary>The peer does not share this file.</summary>
    UnknownFile = 1,

    /// <summary>The peer shares the file but does not have this chunk (yet).</summary>
    NotAvailable = 2,

    /// <summary>Too many requests in flight; ask again later or elsewhere.</summary>
    Busy = 3,

    /// <summary>The chunk index or manifest offset is beyond the end of the file or manifest.</summary>
    OutOfRange = 4,
}
