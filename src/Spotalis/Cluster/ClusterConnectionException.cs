namespace Spotalis.Cluster;

/// <summary>There is nothing to connect to: no usable kubeconfig was given or found, and this is not a pod in a cluster.</summary>
public sealed class ClusterConnectionException : Exception
{
    public ClusterConnectionException()
    {
    }

    public ClusterConnectionException(string message)
        : base(message)
    {
    }

    public ClusterConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
