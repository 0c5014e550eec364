using System.Text;
using k8s.Models;
using Spotalis.Resilience.Tests.Faults;

namespace Spotalis.Resilience.Tests.Security;

/// <summary>Checks captured log lines for secret material: the API bearer token and the webhook's private keys.</summary>
internal static class SecretScan
{
    public static void AssertNoSecrets(IReadOnlyCollection<string> lines, FaultEnvironment env)
    {
        Assert.NotEmpty(lines);
        var secrets = new List<string> { FaultEnvironment.BearerToken, "PRIVATE KEY" };
        foreach (var secret in env.Api.List<V1Secret>(FaultEnvironment.OperatorNamespace))
        {
            foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
            {
                if (key.EndsWith(".key", StringComparison.Ordinal))
                {
                    // Any line of the PEM body, and the base64 of the whole PEM as a Secret carries it.
                    var pem = Encoding.ASCII.GetString(value);
                    secrets.AddRange(pem.Split('\n').Where(l => l.Length >= 40 && !l.StartsWith("-----", StringComparison.Ordinal)).Take(3));
                    secrets.Add(Convert.ToBase64String(value)[..40]);
                }
            }
        }

        Assert.True(secrets.Count > 2, "the webhook's key Secret was not found, so the scan would prove nothing");
        foreach (var secret in secrets)
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"secret material in the logs: {leak?[..Math.Min(leak.Length, 200)]}");
        }
    }
}
