using System.Net;
using System.Security.Cryptography;
using P2PShare.Dht.Messages;

namespace P2PShare.Dht;

/// <summary>
/// Write tokens: HMAC-SHA256 of the asker's address (IP and port) and the key under a secret that rotates every
/// <c>rotation</c>; the current and the previous secret are accepted. Only the address a get_peers reply went to
/// can present a valid token, so nobody can announce on behalf of another address.
/// </summary>
internal sealed class WriteTokens(TimeSpan rotation, TimeProvider time)
{
    private readonly Lock _lock = new();
    private byte[] _current = RandomNumberGenerator.GetBytes(32);
    private byte[] _previous = RandomNumberGenerator.GetBytes(32);
    private DateTimeOffset _rotated = time.GetUtcNow();

    public byte[] Issue(IPEndPoint asker, NodeId key) => Compute(Secrets().Current, asker, key);

    public bool Check(ReadOnlySpan<byte> token, IPEndPoint asker, NodeId key)
    {
        var (current, previous) = Secrets();
        return CryptographicOperations.FixedTimeEquals(token, Compute(current, asker, key))
            || CryptographicOperations.FixedTimeEquals(token, Compute(previous, asker, key));
    }

    private (byte[] Current, byte[] Previous) Secrets()
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (now - _rotated >= rotation)
            {
                _previous = now - _rotated >= 2 * rotation ? RandomNumberGenerator.GetBytes(32) : _current;
                _current = RandomNumberGenerator.GetBytes(32);
                _rotated = now;
            }

            return (_current, _previous);
        }
    }

    private static byte[] Compute(byte[] secret, IPEndPoint asker, NodeId key)
    {
        Span<byte> input = stackalloc byte[19 + NodeId.Size];
        int length = EndpointCodec.Write(input, asker);
        key.Write(input[length..]);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(secret, input[..(length + NodeId.Size)], mac);
        return mac[..DhtLimits.TokenSize].ToArray();
    }
}
