namespace Spotalis.Operator.Configuration;

/// <summary>Where the self-managed webhook certificate and registration live.</summary>
public sealed record SelfManagedCertificateSettings
{
    public string SecretName { get; init; } = "spotalis-webhook-tls";

    public string ServiceName { get; init; } = "spotalis-webhook";

    public string ServiceNamespace { get; init; } = "spotalis-system";

    public string ConfigurationName { get; init; } = "spotalis";
}
