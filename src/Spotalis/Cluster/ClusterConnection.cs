using k8s;

namespace Spotalis.Cli.Cluster;

/// <summary>Opens a KubernetesClient the way kubectl would: --kubeconfig, else $KUBECONFIG or ~/.kube/config, else in-cluster.</summary>
public static class ClusterConnection
{
    public static (IKubernetes Client, string DefaultNamespace) Open(string? kubeconfigPath)
    {
        KubernetesClientConfiguration config;
        if (!string.IsNullOrEmpty(kubeconfigPath))
        {
            if (!File.Exists(kubeconfigPath))
            {
                throw new FileNotFoundException($"kubeconfig '{kubeconfigPath}' does not exist", kubeconfigPath);
            }

            config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath);
        }
        else
        {
            config = KubernetesClientConfiguration.BuildDefaultConfig();
        }

        return (new Kubernetes(config), string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace);
    }
}
