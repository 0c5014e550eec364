namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>One scheduled wake-up of <see cref="TimerQueue"/>: equal when controller and key are, so a repeat is a no-op.</summary>
internal abstract record WakeUp
{
    /// <summary>Marks the key dirty on its controller. Call under the state lock.</summary>
    public abstract void Fire();
}
