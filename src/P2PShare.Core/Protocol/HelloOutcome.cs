using P2PShare.Core.Protocol.Messages;

namespace P2PShare.Core.Protocol;

/// <summary>Result of <see cref="HelloExchange"/>: the agreed version and the remote Hello, or why it failed.</summary>
public sealed record HelloOutcome(bool Succeeded, ushort Version, Hello? Remote, string? FailureReason)
{
    internal static HelloOutcome Agreed(ushort version, Hello remote) => new(true, version, remote, null);

    internal static HelloOutcome Failed(string reason) => new(false, 0, null, reason);
}
