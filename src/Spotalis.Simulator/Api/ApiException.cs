namespace Spotalis.Simulator.Api;

/// <summary>An API failure with the HTTP status code and <c>Status.reason</c> a real apiserver would return.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int statusCode, string reason, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    public ApiException()
    {
        Reason = "InternalError";
        StatusCode = 500;
    }

    public ApiException(string message)
        : base(message)
    {
        Reason = "InternalError";
        StatusCode = 500;
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "InternalError";
        StatusCode = 500;
    }

    public int StatusCode { get; }

    /// <summary>NotFound, AlreadyExists, Conflict, Invalid, TooManyRequests, Gone, BadRequest, MethodNotAllowed, InternalError.</summary>
    public string Reason { get; }

    /// <summary>The <c>Status.details.causes</c> of the failure (e.g. the DisruptionBudget cause of a refused eviction).</summary>
    public IReadOnlyList<ApiStatusCause> Causes { get; init; } = [];

    /// <summary>The <c>Status.details</c> name, group and kind of the object concerned, when known.</summary>
    public (string Name, string Group, string Kind)? Details { get; init; }
}
