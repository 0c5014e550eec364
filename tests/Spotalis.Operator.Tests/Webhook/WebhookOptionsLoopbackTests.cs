using Spotalis.Operator.Webhook;

namespace Spotalis.Operator.Tests.Webhook;

public class WebhookOptionsLoopbackTests
{
    [Fact]
    public void OnLoopback_serves_on_127_0_0_1_and_registers_the_webhook_by_its_https_url_on_the_same_port()
    {
        var options = new WebhookOptions { Port = 40123, ServiceNamespace = "ops" }.OnLoopback();

        Assert.Equal("127.0.0.1", options.ListenAddress);
        Assert.Equal("https://127.0.0.1:40123/mutate-v1-pod", options.Url);
        Assert.Equal("ops", options.ServiceNamespace);
        Assert.Empty(options.Validate());
    }
}
