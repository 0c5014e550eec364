namespace Spotalis.Tests.Support;

/// <summary>A theory that is skipped, saying why, when tmux is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TmuxTheoryAttribute : TheoryAttribute
{
    public TmuxTheoryAttribute()
    {
        if (Tmux.Path is null)
        {
            Skip = Tmux.MissingMessage;
        }
    }
}
