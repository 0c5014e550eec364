using Spotalis.Commands;

namespace Spotalis.Tests.Commands;

public class PodArgumentTests
{
    [Theory]
    [InlineData("web-1", null, "web-1")]
    [InlineData("shop/web-1", "shop", "web-1")]
    [InlineData("pod/web-1", null, "web-1")]
    [InlineData("pods/web-1", null, "web-1")]
    [InlineData("po/web-1", null, "web-1")]
    public void Reads_a_pod_as_namespace_name_or_kubectl_kind_name(string text, string? expectedNamespace, string expectedName)
    {
        Assert.True(PodArgument.TryParse(text, out var pod, out var error), error);
        Assert.Equal(expectedNamespace, pod.Namespace);
        Assert.Equal(expectedName, pod.Name);
    }

    [Theory]
    [InlineData("deployment/web")]
    [InlineData("deploy/web")]
    [InlineData("statefulset/cache")]
    [InlineData("sts/cache")]
    public void A_workload_reference_is_refused_with_the_commands_to_use_instead(string text)
    {
        Assert.False(PodArgument.TryParse(text, out _, out var error));
        Assert.Contains("names a workload", error, StringComparison.Ordinal);
        Assert.Contains("spotalis status", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b/c")]
    [InlineData("/web")]
    [InlineData("shop/")]
    public void A_malformed_argument_says_the_expected_forms(string text)
    {
        Assert.False(PodArgument.TryParse(text, out _, out var error));
        Assert.Contains("is not <namespace>/<pod> or <pod>", error, StringComparison.Ordinal);
    }
}
