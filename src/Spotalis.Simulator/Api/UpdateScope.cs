namespace Spotalis.Simulator.Api;

/// <summary>Which part of an object a replace writes.</summary>
public enum UpdateScope
{
    /// <summary>Everything (in-process controllers).</summary>
    Everything,

    /// <summary>The main resource of a kind with a status subresource: status changes are ignored.</summary>
    MainOnly,

    /// <summary>The <c>status</c> subresource: only status changes are kept.</summary>
    StatusOnly,
}
