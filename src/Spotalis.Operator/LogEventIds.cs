namespace Spotalis.Operator;

/// <summary>
/// The event-id ranges of the operator's log messages (<see cref="Log"/>): each area owns the hundred ids above its
/// base, so ids never collide and an id says where a line comes from.
/// </summary>
internal static class LogEventIds
{
    public const int Hosting = 1000;
    public const int Controller = 1100;
    public const int Reconciler = 1200;
    public const int Cache = 2000;
    public const int Leadership = 3000;
    public const int Events = 4000;
    public const int Admission = 5000;
    public const int Certificates = 5100;
    public const int SelfManagedCertificates = 5200;
    public const int WebhookServer = 5300;
    public const int AdmissionPath = 5400;
    public const int LeaderDirectory = 6100;
}
