using P2PShare.Core.Crypto;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>A peer identity (a real X25519 key pair, so it can prove its key) with its ID and public key in hex.</summary>
internal sealed record TestPeer(string PeerId, string PublicKey, PeerIdentity Identity)
{
    public static TestPeer Create()
    {
        var identity = PeerIdentity.Generate();
        return new TestPeer(identity.PeerId, Convert.ToHexStringLower(identity.PublicKey.Span), identity);
    }

    /// <summary>The registration fields, without nonce and proof.</summary>
    public RegisterRequest Registration(int port = 6881) => new() { PeerId = PeerId, PublicKey = PublicKey, Port = port };

    /// <summary><paramref name="request"/> with the challenge's nonce and this peer's proof over it.</summary>
    public RegisterRequest Prove(RegisterRequest request, RegisterChallengeResponse challenge)
    {
        var withNonce = request with { Nonce = challenge.Nonce };
        return withNonce with { Proof = RegistrationProof.Compute(Identity, Convert.FromHexString(challenge.TrackerPublicKey), withNonce) };
    }
}
