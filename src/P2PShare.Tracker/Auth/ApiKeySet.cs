using System.Security.Cryptography;
using System.Text;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Auth;

/// <summary>
/// The configured API keys. Keys are compared by their SHA-256 digests in constant time, so neither a key's
/// content nor its length leaks through timing.
/// </summary>
internal sealed class ApiKeySet(TrackerOptions options)
{
    private readonly byte[][] _digests = [.. options.ApiKeys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k)))];

    /// <summary>True when API_KEYS is set: protected paths then need a key.</summary>
    public bool IsEnabled => _digests.Length > 0;

    public bool Contains(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        bool found = false;
        foreach (var key in _digests)
        {
            found |= CryptographicOperations.FixedTimeEquals(digest, key);
        }

        return found;
    }
}
