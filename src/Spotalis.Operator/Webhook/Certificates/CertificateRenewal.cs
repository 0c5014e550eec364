namespace Spotalis.Operator.Webhook.Certificates;

/// <summary>What a self-managed certificate bundle needs now.</summary>
public enum CertificateRenewal
{
    /// <summary>CA and serving certificate are fine.</summary>
    None,

    /// <summary>Re-issue the serving certificate with the same CA (caBundle unchanged).</summary>
    Serving,

    /// <summary>New CA and serving certificate (caBundle changes; the old CA stays in it until it expires).</summary>
    All,
}
