using Spotalis.Operator.Configuration;

namespace Spotalis.Operator.Tests.Configuration;

public sealed class SettingsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(SettingsValidator.Validate(SpotalisConfig.Default));

    [Fact]
    public void Webhook_settings_are_checked_with_the_rest_and_name_their_key()
    {
        var config = SpotalisConfig.Default with
        {
            Webhook = SpotalisConfig.Default.Webhook with { SelfManaged = SpotalisConfig.Default.Webhook.SelfManaged with { SecretName = "" } },
        };

        var problem = Assert.Single(SettingsValidator.Validate(config));

        Assert.Equal("webhook.selfManaged.secretName: must not be empty when webhook.certDir is empty", problem);
    }

    [Fact]
    public void A_disabled_webhook_is_not_checked()
    {
        var config = SpotalisConfig.Default with
        {
            Webhook = SpotalisConfig.Default.Webhook with { Enabled = false, SelfManaged = SpotalisConfig.Default.Webhook.SelfManaged with { SecretName = "" } },
        };

        Assert.Empty(SettingsValidator.Validate(config));
    }

    [Fact]
    public void A_preset_built_in_code_that_does_not_exist_is_reported_not_bound()
    {
        var config = SpotalisConfig.Default with { NodeClassifier = SpotalisConfig.Default.NodeClassifier with { Preset = "nope" } };

        Assert.Contains(SettingsValidator.Validate(config), p => p.StartsWith("nodeClassifier.preset: 'nope' is not a preset", StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => Spotalis.Operator.Reconciliation.ReconcilerOptions.From(config));
    }

    [Fact]
    public void Bad_listen_addresses_are_reported_before_anything_listens()
    {
        var config = SpotalisConfig.Default with { Metrics = SpotalisConfig.Default.Metrics with { Address = "nowhere" } };

        Assert.Contains("metrics.address: 'nowhere' is not host:port", SettingsValidator.Validate(config));
    }
}
