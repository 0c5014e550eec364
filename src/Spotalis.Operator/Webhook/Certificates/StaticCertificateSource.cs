using System.Security.Cryptography.X509Certificates;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>A fixed serving certificate: in-process demos, tests and benchmarks.</summary>
public sealed class StaticCertificateSource(X509Certificate2 certificate) : IServingCertificateSource
{
    public X509Certificate2? Current { get; } = certificate;
}
