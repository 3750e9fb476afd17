namespace P2PShare.Core.Crypto.Noise;

/// <summary>The handshake-pattern tokens of Noise §7 used by the XX pattern.</summary>
internal enum NoiseToken
{
    E,
    S,
    EE,
    ES,
    SE,
}
