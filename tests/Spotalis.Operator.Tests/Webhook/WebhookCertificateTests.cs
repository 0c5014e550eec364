using System.Security.Cryptography.X509Certificates;
using Spotalis.Operator.Webhook.Certificates;

namespace Spotalis.Operator.Tests.Webhook;

public sealed class WebhookCertificateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<string> Hosts = WebhookCertificateIssuer.ServiceDnsNames("spotalis-webhook", "spotalis-system");

    internal static bool ChainsTo(X509Certificate2 serving, string caPem, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.ImportFromPem(caPem);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        return chain.Build(serving);
    }

    [Fact]
    public void Service_dns_names_are_the_four_forms_the_apiserver_may_use()
    {
        Assert.Equal(
            ["spotalis-webhook", "spotalis-webhook.spotalis-system", "spotalis-webhook.spotalis-system.svc", "spotalis-webhook.spotalis-system.svc.cluster.local"],
            Hosts);
    }

    [Fact]
    public void Bundle_serving_certificate_chains_to_its_ca_and_covers_every_service_name()
    {
        var bundle = WebhookCertificateIssuer.CreateBundle([.. Hosts, "127.0.0.1"], Now);
        using var serving = bundle.LoadServingCertificate();

        Assert.True(serving.HasPrivateKey);
        Assert.True(ChainsTo(serving, bundle.CaBundlePem, Now));
        var names = serving.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(Hosts.Order(), names.EnumerateDnsNames().Order());
        Assert.Equal("127.0.0.1", names.EnumerateIPAddresses().Single().ToString());
        var usage = serving.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Contains(usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.1");
        Assert.Equal((CertificateRenewal.None, "certificates are valid"), CertificateRenewalPolicy.Evaluate(bundle, Hosts, Now));
    }

    [Fact]
    public void Serving_certificate_is_renewed_with_the_same_ca_before_it_expires()
    {
        var bundle = WebhookCertificateIssuer.CreateBundle(Hosts, Now);
        var later = Now + TimeSpan.FromDays(250);

        var (renewal, reason) = CertificateRenewalPolicy.Evaluate(bundle, Hosts, later);
        Assert.Equal(CertificateRenewal.Serving, renewal);
        Assert.Contains("expires", reason, StringComparison.Ordinal);

        var renewed = WebhookCertificateIssuer.RenewServing(bundle, Hosts, later);
        using var serving = renewed.LoadServingCertificate();
        Assert.Equal(bundle.CaBundlePem, renewed.CaBundlePem);
        Assert.True(ChainsTo(serving, bundle.CaBundlePem, later + TimeSpan.FromDays(300)));
        Assert.Equal(CertificateRenewal.None, CertificateRenewalPolicy.Evaluate(renewed, Hosts, later).Renewal);
    }

    [Fact]
    public void Ca_is_renewed_years_before_expiry_and_the_old_ca_stays_trusted_meanwhile()
    {
        var bundle = WebhookCertificateIssuer.CreateBundle(Hosts, Now);
        var later = Now + TimeSpan.FromDays(365 * 7);

        Assert.Equal(CertificateRenewal.All, CertificateRenewalPolicy.Evaluate(bundle, Hosts, later).Renewal);

        var renewed = WebhookCertificateIssuer.CreateBundle(Hosts, later, bundle.CaCertificatePem);
        Assert.Contains(bundle.CaCertificatePem.TrimEnd(), renewed.CaBundlePem, StringComparison.Ordinal);
        Assert.Contains(renewed.CaCertificatePem.TrimEnd(), renewed.CaBundlePem, StringComparison.Ordinal);
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPem(renewed.CaBundlePem);
        Assert.Equal(2, trusted.Count);
        using var oldServing = WebhookCertificateIssuer.RenewServing(bundle, Hosts, later).LoadServingCertificate();
        Assert.True(ChainsTo(oldServing, renewed.CaBundlePem, later));
    }

    [Fact]
    public void Missing_wrong_host_or_foreign_ca_bundles_are_replaced()
    {
        var bundle = WebhookCertificateIssuer.CreateBundle(Hosts, Now);
        var foreign = WebhookCertificateIssuer.CreateBundle(Hosts, Now);

        Assert.Equal(CertificateRenewal.All, CertificateRenewalPolicy.Evaluate(null, Hosts, Now).Renewal);
        Assert.Equal(CertificateRenewal.Serving, CertificateRenewalPolicy.Evaluate(bundle, [.. Hosts, "10.0.0.7"], Now).Renewal);
        Assert.Equal(CertificateRenewal.Serving, CertificateRenewalPolicy.Evaluate(bundle with { CertificatePem = foreign.CertificatePem, KeyPem = foreign.KeyPem }, Hosts, Now).Renewal);
        Assert.Equal(CertificateRenewal.All, CertificateRenewalPolicy.Evaluate(bundle with { CaKeyPem = "garbage" }, Hosts, Now).Renewal);
    }

    [Fact]
    public void File_certificates_are_reloaded_when_rewritten()
    {
        var directory = Directory.CreateTempSubdirectory("spotalis-certs-");
        try
        {
            var first = WebhookCertificateIssuer.CreateBundle(["localhost"], DateTimeOffset.UtcNow);
            var second = WebhookCertificateIssuer.CreateBundle(["localhost"], DateTimeOffset.UtcNow);
            File.WriteAllText(Path.Combine(directory.FullName, "tls.crt"), first.CertificatePem);
            File.WriteAllText(Path.Combine(directory.FullName, "tls.key"), first.KeyPem);
            using var source = new FileCertificateSource(directory.FullName, TimeSpan.FromMilliseconds(200), Microsoft.Extensions.Logging.Abstractions.NullLogger<FileCertificateSource>.Instance);
            using var firstCertificate = first.LoadServingCertificate();
            Assert.Equal(firstCertificate.Thumbprint, source.Current?.Thumbprint);

            // A broken key is ignored: the last good certificate keeps being served.
            File.WriteAllText(Path.Combine(directory.FullName, "tls.key"), "not a key");
            Assert.False(source.Reload());
            Assert.Equal(firstCertificate.Thumbprint, source.Current?.Thumbprint);

            File.WriteAllText(Path.Combine(directory.FullName, "tls.crt"), second.CertificatePem);
            File.WriteAllText(Path.Combine(directory.FullName, "tls.key"), second.KeyPem);
            using var secondCertificate = second.LoadServingCertificate();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (source.Current?.Thumbprint != secondCertificate.Thumbprint && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            Assert.Equal(secondCertificate.Thumbprint, source.Current?.Thumbprint);
        }
        finally
        {
            directory.Delete(true);
        }
    }
}
