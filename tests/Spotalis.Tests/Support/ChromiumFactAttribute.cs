namespace Spotalis.Tests.Support;

/// <summary>A fact that is skipped, saying why, when headless Chromium is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Path is null)
        {
            Skip = Chromium.MissingMessage;
        }
    }
}
