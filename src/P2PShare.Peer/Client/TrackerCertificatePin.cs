using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace P2PShare.Peer.Client;

/// <summary>
/// TRACKER_PIN: the SHA-256 of the tracker certificate's public key (SubjectPublicKeyInfo), written
/// <c>sha256/&lt;base64&gt;</c> as HPKP did. A certificate with that key is accepted even when self-signed or not
/// issued for the URL's host; any other is refused, whoever signed it.
/// </summary>
internal sealed class TrackerCertificatePin
{
    public const string Prefix = "sha256/";

    private readonly byte[] _digest;

    private TrackerCertificatePin(string text, byte[] digest)
    {
        Text = text;
        _digest = digest;
    }

    public string Text { get; }

    /// <summary>Why the last certificate was refused, for the error message; null when none was.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Parses <c>sha256/&lt;base64 of 32 bytes&gt;</c>; anything else throws <see cref="ArgumentException"/>.</summary>
    public static TrackerCertificatePin Parse(string text)
    {
        string trimmed = text.Trim();
        byte[]? digest = null;
        if (trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                digest = Convert.FromBase64String(trimmed[Prefix.Length..]);
            }
            catch (FormatException)
            {
            }
        }

        return digest is { Length: SHA256.HashSizeInBytes }
            ? new TrackerCertificatePin(trimmed, digest)
            : throw new ArgumentException($"TRACKER_PIN '{text}' is not sha256/<base64 of the 32-byte SHA-256 of the certificate's public key>");
    }

    /// <summary>The pin of <paramref name="certificate"/>'s public key.</summary>
    public static string Of(X509Certificate2 certificate) =>
        Prefix + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            LastRefusal = "the tracker sent no certificate";
            return false;
        }

        var full = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        byte[] actual = SHA256.HashData(full.PublicKey.ExportSubjectPublicKeyInfo());
        if (CryptographicOperations.FixedTimeEquals(actual, _digest))
        {
            return true;
        }

        LastRefusal = $"the tracker's certificate key is {Prefix}{Convert.ToBase64String(actual)}, not the pinned {Text} (TRACKER_PIN)";
        return false;
    }
}
