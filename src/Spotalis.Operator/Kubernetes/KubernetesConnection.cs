using k8s;

namespace Spotalis.Operator.Kubernetes;

/// <summary>
/// Finds how to reach the API server: an explicit kubeconfig, then <c>KUBECONFIG</c>, then <c>~/.kube/config</c>,
/// then the in-cluster service account.
/// </summary>
public static class KubernetesConnection
{
    public static KubernetesClientConfiguration Resolve(string? kubeconfigPath) =>
        Resolve(kubeconfigPath, Environment.GetEnvironmentVariable("KUBECONFIG"), DefaultKubeconfigPath());

    public static KubernetesClientConfiguration Resolve(string? kubeconfigPath, string? kubeconfigEnvironment, string? homeKubeconfig)
    {
        if (!string.IsNullOrWhiteSpace(kubeconfigPath))
        {
            return FromFile(kubeconfigPath, "--kubeconfig");
        }

        if (!string.IsNullOrWhiteSpace(kubeconfigEnvironment))
        {
            var first = kubeconfigEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(File.Exists);
            if (first is not null)
            {
                return FromFile(first, "KUBECONFIG");
            }
        }

        if (!string.IsNullOrWhiteSpace(homeKubeconfig) && File.Exists(homeKubeconfig))
        {
            return FromFile(homeKubeconfig, "~/.kube/config");
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        var variable = string.IsNullOrWhiteSpace(kubeconfigEnvironment) ? "KUBECONFIG is not set" : $"KUBECONFIG={kubeconfigEnvironment} names no existing file";
        throw new InvalidOperationException(
            $"no kubeconfig found (no --kubeconfig; {variable}; {homeKubeconfig ?? "~/.kube/config"} does not exist) and not running in a cluster: "
            + "pass --kubeconfig FILE or set KUBECONFIG=FILE.");
    }

    public static IKubernetes CreateClient(string? kubeconfigPath) => new k8s.Kubernetes(Resolve(kubeconfigPath));

    private static KubernetesClientConfiguration FromFile(string path, string source)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"kubeconfig '{path}' (from {source}) does not exist");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (Exception e) when (e is k8s.Exceptions.KubeConfigException or IOException or FormatException or YamlDotNet.Core.YamlException)
        {
            throw new InvalidOperationException($"kubeconfig '{path}' (from {source}) is not usable: {e.Message}", e);
        }
    }

    private static string? DefaultKubeconfigPath()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".kube", "config");
    }
}
