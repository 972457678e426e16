using System.Globalization;
using Chat.Proxy.Balancing;
using Microsoft.AspNetCore.Http;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// What a Gateway API route does before anything is proxied: RequestRedirect (Location from scheme, hostname, port,
/// path; 302 unless told), 500 for a rule without a usable backend, and timeouts.request/backendRequest for plain
/// requests (504 past it; WebSockets are bounded by idle timeouts instead).
/// </summary>
public sealed class GatewayRequestHandler(GatewayRouteBehaviors behaviors)
{
    public async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        if (behaviors.For(context) is not { } compiled)
        {
            await next();
            return;
        }

        var behavior = compiled.Behavior;
        if (behavior.Redirect is { } redirect)
        {
            context.Response.StatusCode = redirect.StatusCode;
            context.Response.Headers.Location = Location(context.Request, behavior, redirect);
            return;
        }

        if (behavior.NoBackend)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        if (behavior.TimeoutSeconds is not { } seconds || ConnectionRequest.IsWebSocket(context))
        {
            await next();
            return;
        }

        var clientAborted = context.RequestAborted;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        context.RequestAborted = timeout.Token;
        try
        {
            await next();
        }
        finally
        {
            context.RequestAborted = clientAborted;
        }

        if (timeout.IsCancellationRequested && !clientAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }

    public static string Location(HttpRequest request, GatewayRouteBehavior behavior, RedirectAction redirect)
    {
        var scheme = redirect.Scheme ?? behavior.Scheme;
        var host = redirect.Hostname ?? request.Host.Host;
        var port = redirect.Port ?? (redirect.Scheme is not null ? (scheme == "https" ? 443 : 80) : behavior.ListenerPort);
        var path = redirect.FullPath
            ?? (redirect.PrefixReplacement is { } replacement ? PathRewriter.ReplacePrefix(request.Path.Value ?? "/", behavior.Path, replacement) : null)
            ?? (request.PathBase + request.Path).ToString();
        var authority = (scheme, port) is ("http", 80) or ("https", 443) ? host : host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return $"{scheme}://{authority}{path}{request.QueryString}";
    }
}
