using System.Security.Cryptography.X509Certificates;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>
/// A webhook CA and the serving certificate it signed, as PEM text. <see cref="CaBundlePem"/> is what clients trust:
/// the current CA, followed during a CA rotation by the previous one until it expires.
/// </summary>
public sealed record CertificateBundle(string CaCertificatePem, string CaKeyPem, string CertificatePem, string KeyPem, string CaBundlePem)
{
    /// <summary>The serving certificate with its private key, ready for Kestrel.</summary>
    public X509Certificate2 LoadServingCertificate() => X509Certificate2.CreateFromPem(CertificatePem, KeyPem);

    public X509Certificate2 LoadCaCertificate() => X509Certificate2.CreateFromPem(CaCertificatePem);
}
