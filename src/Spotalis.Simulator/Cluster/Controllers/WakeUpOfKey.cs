namespace Spotalis.Simulator.Cluster.Controllers;

/// <summary>A <see cref="WakeUp"/> of a controller whose queue holds keys of type <typeparamref name="TKey"/>.</summary>
internal sealed record WakeUp<TKey>(WorkQueueController<TKey> Controller, TKey Key) : WakeUp
    where TKey : notnull
{
    /// <inheritdoc/>
    public override void Fire() => Controller.MarkDirty(Key);
}
