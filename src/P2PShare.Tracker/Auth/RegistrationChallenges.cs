using System.Buffers.Text;
using System.Security.Cryptography;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Auth;

/// <summary>
/// Outstanding registration nonces: each is random, used at most once and valid for
/// <see cref="TrackerOptions.ChallengeLifetime"/>. At most <see cref="TrackerOptions.MaxPendingChallenges"/> are kept;
/// past that the oldest is dropped, so a flood of challenges cannot stop new registrations (an honest peer uses
/// its nonce within one round trip) and cannot grow memory.
/// </summary>
internal sealed class RegistrationChallenges(TrackerOptions options, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);

    // Issue order, which is also expiry order (one lifetime for all); may hold nonces already used.
    private readonly Queue<string> _order = new();
    private readonly Lock _lock = new();

    public string Issue()
    {
        var now = time.GetUtcNow();
        string nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        lock (_lock)
        {
            while (_order.TryPeek(out string? oldest)
                && (_order.Count >= options.MaxPendingChallenges || !_expiries.TryGetValue(oldest, out var expiry) || expiry <= now))
            {
                _expiries.Remove(_order.Dequeue());
            }

            _expiries[nonce] = now + options.ChallengeLifetime;
            _order.Enqueue(nonce);
            return nonce;
        }
    }

    /// <summary>True when <paramref name="nonce"/> was issued, has not expired and was not used; it is used up now.</summary>
    public bool TryConsume(string? nonce)
    {
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 64)
        {
            return false;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            return _expiries.Remove(nonce, out var expiry) && expiry > now;
        }
    }
}
