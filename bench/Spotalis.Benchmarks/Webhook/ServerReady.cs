namespace Spotalis.Benchmarks.Webhook;

/// <summary>What the <c>webhook-serve</c> child announces once its endpoints listen.</summary>
/// <param name="FollowerUri">A second webhook that, like a follower replica, hands every review to the first one.</param>
internal sealed record ServerReady(
    string WebhookUri,
    string PlainUri,
    string CaPemPath,
    string SampleReviewPath,
    int ResponseBytes,
    bool ServerGc,
    string GcLatencyMode,
    int ProcessId,
    string FollowerUri);
