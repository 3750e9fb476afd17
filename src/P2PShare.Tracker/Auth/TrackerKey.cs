using P2PShare.Core.Crypto;
using P2PShare.Tracker.Configuration;

namespace P2PShare.Tracker.Auth;

/// <summary>
/// The tracker's static X25519 key pair, kept in <see cref="TrackerOptions.KeyFile"/> (same format and 0600 mode
/// as a peer's identity file) so that it stays the same across restarts. Registrations prove their key against it.
/// </summary>
internal sealed class TrackerKey : IDisposable
{
    public TrackerKey(TrackerOptions options)
    {
        try
        {
            Identity = PeerIdentity.LoadOrCreate(options.KeyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot use '{options.KeyFile}' as the tracker's key file (-key-file, {TrackerOptionsReader.KeyFileVariable}): {e.Message}", e);
        }

        PublicKeyHex = Convert.ToHexStringLower(Identity.PublicKey.Span);
    }

    public PeerIdentity Identity { get; }

    public string PublicKeyHex { get; }

    public void Dispose() => Identity.Dispose();
}
