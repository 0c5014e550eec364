namespace Spotalis.Operator.Webhook.Placement;

/// <summary>RFC 6901 reference tokens: <c>~</c> becomes <c>~0</c> and <c>/</c> becomes <c>~1</c>, in that order.</summary>
public static class JsonPointer
{
    public static string Escape(string token)
    {
        if (token.AsSpan().IndexOfAny('~', '/') < 0)
        {
            return token;
        }

        return token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
    }
}
