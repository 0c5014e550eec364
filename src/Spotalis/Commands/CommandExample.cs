namespace Spotalis.Commands;

/// <summary>One example of a command's help: what it does, and the command line that does it.</summary>
public sealed record CommandExample(string What, string Line);
