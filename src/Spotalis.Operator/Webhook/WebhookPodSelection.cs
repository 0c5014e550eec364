namespace Spotalis.Operator.Webhook;

/// <summary>Which pod creations the apiserver sends to the webhook (see docs/reference/webhook.md for the trade-offs).</summary>
public enum WebhookPodSelection
{
    /// <summary>
    /// Pods in namespaces labelled <c>spotalis.io/enabled=true</c> (unless the pod itself says "false"), and pods
    /// labelled <c>spotalis.io/enabled=true</c> anywhere. A workload opted in only by its own label needs the label
    /// in its pod template too, or its pods are placed by the controller after the fact.
    /// </summary>
    OptedIn,

    /// <summary>Every pod outside kube-system and the operator's namespace; the webhook decides from the cache.</summary>
    AllPods,
}
