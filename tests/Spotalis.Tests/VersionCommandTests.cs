using Spotalis.Commands;

namespace Spotalis.Tests;

public class VersionCommandTests
{
    [Fact]
    public void Describe_names_the_product_version_and_runtime()
    {
        var text = VersionCommand.Describe();
        Assert.StartsWith("spotalis 0.1.0", text, StringComparison.Ordinal);
        Assert.Contains(".NET 10", text, StringComparison.Ordinal);
    }
}
