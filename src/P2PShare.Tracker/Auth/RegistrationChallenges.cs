using System.Buffers.Text;
using System.Security.Cryptography;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Auth;

/// <summary>
/// Outstanding registration nonces: each is random, used at most once and valid for
/// <see cref="TrackerOptions.ChallengeLifetime"/>. The table holds at most <see cref="TrackerOptions.MaxPendingChallenges"/>;
/// when it is full of live nonces no new one is issued until some are used or expire.
/// </summary>
internal sealed class RegistrationChallenges(TrackerOptions options, TimeProvider time)
{
    private readonly Dictionary<string, DateTimeOffset> _expiries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>A new nonce, or null when the table is full.</summary>
    public string? Issue()
    {
        var now = time.GetUtcNow();
        string nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));
        lock (_lock)
        {
            if (_expiries.Count >= options.MaxPendingChallenges)
            {
                RemoveExpired(now);
                if (_expiries.Count >= options.MaxPendingChallenges)
                {
                    return null;
                }
            }

            _expiries[nonce] = now + options.ChallengeLifetime;
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

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _expiries.Count;
            }
        }
    }

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (nonce, expiry) in _expiries)
        {
            if (expiry <= now)
            {
                _expiries.Remove(nonce);
            }
        }
    }
}
