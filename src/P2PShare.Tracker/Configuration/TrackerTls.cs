using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace P2PShare.Tracker.Configuration;

/// <summary>HTTPS on the listen address when <see cref="TrackerOptions.TlsCertFile"/> and <see cref="TrackerOptions.TlsKeyFile"/> are set.</summary>
internal static class TrackerTls
{
    /// <summary>What to do to each Kestrel endpoint: nothing for plain HTTP, or serve the PEM certificate.</summary>
    public static Action<ListenOptions> Configure(TrackerOptions options)
    {
        if (options.TlsCertFile is null || options.TlsKeyFile is null)
        {
            return _ => { };
        }

        var certificate = Load(options.TlsCertFile, options.TlsKeyFile);
        return listen => listen.UseHttps(certificate);
    }

    private static X509Certificate2 Load(string certFile, string keyFile)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);

            // Re-imported as PKCS#12 so the key is usable by the TLS stack on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"cannot use TLS_CERT '{certFile}' with TLS_KEY '{keyFile}': {ex.Message}", ex);
        }
    }
}
