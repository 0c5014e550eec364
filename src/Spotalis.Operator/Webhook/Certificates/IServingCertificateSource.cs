using System.Security.Cryptography.X509Certificates;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>
/// Supplies the webhook's TLS serving certificate. Kestrel asks on every handshake, so a rotated certificate is
/// served from the next connection on, without a restart.
/// </summary>
public interface IServingCertificateSource
{
    /// <summary>The certificate (with private key) to serve, or null while none is available yet.</summary>
    X509Certificate2? Current { get; }
}
