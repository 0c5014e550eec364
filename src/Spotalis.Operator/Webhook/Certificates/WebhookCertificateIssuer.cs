using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>
/// Issues the self-managed webhook CA and serving certificates (ECDSA P-256, SHA-256) with the BCL only.
/// </summary>
public static class WebhookCertificateIssuer
{
    public static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);
    public static readonly TimeSpan ServingLifetime = TimeSpan.FromDays(365);

    /// <summary>Clock skew tolerance: certificates are valid from a little before they are made.</summary>
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>The DNS names a Service is reached by from the apiserver: name, name.ns, name.ns.svc, name.ns.svc.cluster.local.</summary>
    public static IReadOnlyList<string> ServiceDnsNames(string serviceName, string serviceNamespace) =>
    [
        serviceName,
        $"{serviceName}.{serviceNamespace}",
        $"{serviceName}.{serviceNamespace}.svc",
        $"{serviceName}.{serviceNamespace}.svc.cluster.local",
    ];

    /// <summary>A new CA and a serving certificate for <paramref name="hosts"/> (DNS names or IP addresses).</summary>
    public static CertificateBundle CreateBundle(IReadOnlyList<string> hosts, DateTimeOffset now, string? previousCaPem = null)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // A distinct subject per CA: during a rotation clients trust two CAs, and chain building matches issuers by name.
        var caName = $"CN=spotalis-webhook-ca-{now.UtcDateTime:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}, O=spotalis.io";
        var caRequest = new CertificateRequest(caName, caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now - Backdate, now + CaLifetime);
        var caPem = ca.ExportCertificatePem();
        var caKeyPem = caKey.ExportPkcs8PrivateKeyPem();
        var (certPem, keyPem) = IssueServing(ca, hosts, now);
        return new CertificateBundle(caPem, caKeyPem, certPem, keyPem, CaBundle(caPem, previousCaPem, now));
    }

    /// <summary>A new serving certificate signed by the bundle's existing CA (the caBundle clients trust stays valid).</summary>
    public static CertificateBundle RenewServing(CertificateBundle bundle, IReadOnlyList<string> hosts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var ca = X509Certificate2.CreateFromPem(bundle.CaCertificatePem, bundle.CaKeyPem);
        var (certPem, keyPem) = IssueServing(ca, hosts, now);
        return bundle with { CertificatePem = certPem, KeyPem = keyPem };
    }

    private static (string CertificatePem, string KeyPem) IssueServing(X509Certificate2 ca, IReadOnlyList<string> hosts, DateTimeOffset now)
    {
        if (hosts.Count == 0)
        {
            throw new ArgumentException("a serving certificate needs at least one DNS name or IP address", nameof(hosts));
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={hosts[^1]}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(host);
            }
        }

        request.CertificateExtensions.Add(names.Build(true));
        var notAfter = now + ServingLifetime;
        if (notAfter > ca.NotAfter)
        {
            notAfter = ca.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(ca, now - Backdate, notAfter, serial);
        return (issued.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static string CaBundle(string caPem, string? previousCaPem, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(previousCaPem))
        {
            return caPem;
        }

        try
        {
            using var previous = X509Certificate2.CreateFromPem(previousCaPem);
            return previous.NotAfter > now.UtcDateTime ? caPem.TrimEnd() + "\n" + previousCaPem.TrimEnd() + "\n" : caPem;
        }
        catch (CryptographicException)
        {
            return caPem;
        }
    }
}
