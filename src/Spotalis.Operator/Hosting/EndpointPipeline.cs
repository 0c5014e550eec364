using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Spotalis.Operator.Hosting;

/// <summary>
/// The request pipeline of the operator's one Kestrel server: a request is answered by a route of the listener its
/// connection came in on (see <see cref="EndpointListener"/>), 405 for a known path with another method, 404 for
/// anything else. No routing middleware: four fixed routes need no route table, and the NativeAOT binary stays smaller.
/// </summary>
public static class EndpointPipeline
{
    /// <summary>Makes <paramref name="app"/> answer through the listeners' routes and tells each listener when the server listens.</summary>
    public static void Use(WebApplication app, IEnumerable<EndpointListener> listeners)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(listeners);
        var all = listeners.ToList();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            foreach (var listener in all)
            {
                listener.NotifyListening();
            }
        });
        app.Run(DispatchAsync);
    }

    /// <summary>Answers one request from the routes of its connection's listener.</summary>
    public static Task DispatchAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var listener = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(EndpointListener.ConnectionItemKey, out var item) == true
            ? item as EndpointListener
            : null;
        var pathKnown = false;
        if (listener?.Find(context.Request.Path, context.Request.Method, out pathKnown) is { } route)
        {
            return route.Handler(context);
        }

        if (listener is not null && pathKnown)
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = listener.AllowedMethods(context.Request.Path);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Task.CompletedTask;
    }
}
