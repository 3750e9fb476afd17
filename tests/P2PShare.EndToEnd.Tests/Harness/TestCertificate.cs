using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace P2PShare.EndToEnd.Tests.Harness;

/// <summary>A self-signed certificate for 127.0.0.1, written as PEM files, with its public-key pin.</summary>
internal sealed record TestCertificate(string CertFile, string KeyFile, string Pin)
{
    public static TestCertificate Create(string directory, string name = "tracker")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        string certFile = Path.Combine(directory, name + ".crt");
        string keyFile = Path.Combine(directory, name + ".key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        string pin = "sha256/" + Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        return new TestCertificate(certFile, keyFile, pin);
    }
}
