namespace P2PShare.Core.Crypto;

/// <summary>The remote peer proved a static key other than the one the dialer expected (e.g. from the tracker).</summary>
public sealed class PeerAuthenticationException : SecureChannelException
{
    public PeerAuthenticationException(string expectedPeerId, string actualPeerId)
        : base($"peer authentication failed: expected peer {expectedPeerId} but the remote proved the static key of peer {actualPeerId}")
    {
        ExpectedPeerId = expectedPeerId;
        ActualPeerId = actualPeerId;
    }

    public string ExpectedPeerId { get; }

    public string ActualPeerId { get; }
}
