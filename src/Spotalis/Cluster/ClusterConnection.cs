using k8s;
using Spotalis.Operator.Kubernetes;

namespace Spotalis.Cluster;

/// <summary>Opens a KubernetesClient the way kubectl would (and the operator does): --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else in-cluster.</summary>
public static class ClusterConnection
{
    /// <exception cref="ClusterConnectionException">No usable kubeconfig and not in a cluster; the message says what was looked for.</exception>
    public static (IKubernetes Client, string DefaultNamespace) Open(string? kubeconfigPath)
    {
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesConnection.Resolve(kubeconfigPath);
        }
        catch (InvalidOperationException e)
        {
            // Without this the client library falls back to http://localhost:8080 and the user only sees "connection refused".
            throw new ClusterConnectionException(e.Message, e);
        }

        return (new Kubernetes(config), string.IsNullOrEmpty(config.Namespace) ? "default" : config.Namespace);
    }
}
