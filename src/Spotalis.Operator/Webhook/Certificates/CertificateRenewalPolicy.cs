using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>
/// Decides when self-managed certificates are renewed: a certificate is renewed once less than a third of its
/// lifetime remains (serving: ~4 months before expiry; CA: ~3 years before), or at once when it is missing,
/// unreadable, not signed by the CA or not valid for the webhook's host names.
/// </summary>
public static class CertificateRenewalPolicy
{
    public static (CertificateRenewal Renewal, string Reason) Evaluate(CertificateBundle? bundle, IReadOnlyList<string> hosts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        if (bundle is null)
        {
            return (CertificateRenewal.All, "no certificate yet");
        }

        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPem(bundle.CaCertificatePem, bundle.CaKeyPem);
        }
        catch (CryptographicException ex)
        {
            return (CertificateRenewal.All, $"the stored CA is unreadable: {ex.Message}");
        }

        using (ca)
        {
            if (DueForRenewal(ca, now))
            {
                return (CertificateRenewal.All, $"the CA expires at {ca.NotAfter:u}");
            }

            X509Certificate2 serving;
            try
            {
                serving = bundle.LoadServingCertificate();
            }
            catch (CryptographicException ex)
            {
                return (CertificateRenewal.Serving, $"the stored serving certificate is unreadable: {ex.Message}");
            }

            using (serving)
            {
                if (DueForRenewal(serving, now))
                {
                    return (CertificateRenewal.Serving, $"the serving certificate expires at {serving.NotAfter:u}");
                }

                if (!IsSignedBy(serving, ca, now))
                {
                    return (CertificateRenewal.Serving, "the serving certificate is not signed by the stored CA");
                }

                var missing = hosts.FirstOrDefault(h => !CoversHost(serving, h));
                if (missing is not null)
                {
                    return (CertificateRenewal.Serving, $"the serving certificate does not cover {missing}");
                }
            }
        }

        return (CertificateRenewal.None, "certificates are valid");
    }

    private static bool DueForRenewal(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        var lifetime = notAfter - notBefore;
        return now >= notAfter - (lifetime / 3) || now < notBefore;
    }

    private static bool IsSignedBy(X509Certificate2 serving, X509Certificate2 ca, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        return chain.Build(serving);
    }

    private static bool CoversHost(X509Certificate2 certificate, string host)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (names is null)
        {
            return false;
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return names.EnumerateIPAddresses().Any(a => a.Equals(address));
        }

        return names.EnumerateDnsNames().Any(n => string.Equals(n, host, StringComparison.OrdinalIgnoreCase));
    }
}
