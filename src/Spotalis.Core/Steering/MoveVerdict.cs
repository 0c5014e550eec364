namespace Spotalis.Core.Steering;

/// <summary>How a move ended, once its replacement is known.</summary>
public enum MoveVerdict
{
    /// <summary>No replacement yet.</summary>
    Unknown,

    /// <summary>The replacement landed where the split needed it.</summary>
    Steered,

    /// <summary>The replacement came back on the capacity type it was moved away from.</summary>
    Futile,

    /// <summary>The replacement was created without the webhook's placement (the webhook is not in the admission path).</summary>
    Unplaced,
}
