namespace Spotalis.Operator.Configuration;

/// <summary>The mutating admission webhook served by the same process.</summary>
public sealed record WebhookSettings
{
    public bool Enabled { get; init; } = true;

    public int Port { get; init; } = 9443;

    /// <summary>Directory with tls.crt and tls.key; empty = self-managed certificate.</summary>
    public string CertDir { get; init; } = "";

    /// <summary>How often the operator checks that the webhook is in the admission path (a dry-run pod create).</summary>
    public TimeSpan PathCheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    public SelfManagedCertificateSettings SelfManaged { get; init; } = new();
}
