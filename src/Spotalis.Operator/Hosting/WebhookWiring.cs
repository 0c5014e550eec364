using Spotalis.Operator.Configuration;
using Spotalis.Operator.Reconciliation;
using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Hosting;

/// <summary>Translates the <c>webhook.*</c> and shared configuration keys into the webhook's options.</summary>
public static class WebhookWiring
{
    public static WebhookOptions OptionsFrom(SpotalisConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var webhook = config.Webhook;
        return new WebhookOptions
        {
            Enabled = webhook.Enabled,
            Port = webhook.Port,
            CertDir = webhook.CertDir,
            SelfManagedSecretName = webhook.SelfManaged.SecretName,
            ServiceName = webhook.SelfManaged.ServiceName,
            ServiceNamespace = webhook.SelfManaged.ServiceNamespace,
            ConfigurationName = webhook.SelfManaged.ConfigurationName,
        };
    }

    public static WebhookPlacementSettings PlacementFrom(SpotalisConfig config, Func<string?>? spotNotOffered = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return WebhookPlacementSettings.Default with
        {
            Preset = ReconcilerOptions.PresetFor(config.NodeClassifier),
            FallbackAfter = config.Controllers.FallbackAfter,
            ReclaimAfter = config.Controllers.ReclaimAfter,
            SpotNotOffered = spotNotOffered,
        };
    }
}
