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

    /// <summary>
    /// True when <paramref name="presented"/> is the certificate this source serves now: how a replica recognises a
    /// webhook that serves the same certificate (the leader's, or its own listener) without a CA to validate against.
    /// </summary>
    bool IsServing(X509Certificate? presented) =>
        presented is not null && Current is { } own && presented.GetCertHash().AsSpan().SequenceEqual(own.GetCertHash());
}
