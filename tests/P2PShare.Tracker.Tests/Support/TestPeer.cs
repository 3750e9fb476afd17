using System.Security.Cryptography;
using P2PShare.Core.TrackerApi;

namespace P2PShare.Tracker.Tests.Support;

/// <summary>A peer identity with a random 32-byte public key and the matching ID.</summary>
internal sealed record TestPeer(string PeerId, string PublicKey)
{
    public static TestPeer Create()
    {
        byte[] key = RandomNumberGenerator.GetBytes(PeerIds.PublicKeyLength);
        return new TestPeer(PeerIds.FromPublicKey(key), Convert.ToHexStringLower(key));
    }

    public RegisterRequest Registration(int port = 6881) => new() { PeerId = PeerId, PublicKey = PublicKey, Port = port };
}
