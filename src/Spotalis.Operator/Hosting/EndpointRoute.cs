using Microsoft.AspNetCore.Http;

namespace Spotalis.Operator.Hosting;

/// <summary>One HTTP route of an <see cref="EndpointListener"/>: a method and an exact path (case-insensitive, trailing slash allowed).</summary>
public sealed record EndpointRoute(string Method, string Path, RequestDelegate Handler);
