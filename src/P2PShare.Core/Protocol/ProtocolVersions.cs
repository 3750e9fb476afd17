namespace P2PShare.Core.Protocol;

/// <summary>
/// Peer-wire versions this build speaks. Each side's Hello carries its [minimum, maximum]; both use the highest
/// version in the intersection, and with no overlap the connection ends with Error(UnsupportedVersion).
/// </summary>
public static class ProtocolVersions
{
    public const ushort Minimum = 1;

    public const ushort Maximum = 1;

    /// <summary>The highest version both ranges contain, or null when they do not overlap.</summary>
    public static ushort? Negotiate(ushort localMinimum, ushort localMaximum, ushort remoteMinimum, ushort remoteMaximum)
    {
        ushort highest = Math.Min(localMaximum, remoteMaximum);
        ushort lowest = Math.Max(localMinimum, remoteMinimum);
        return highest >= lowest ? highest : null;
    }
}
