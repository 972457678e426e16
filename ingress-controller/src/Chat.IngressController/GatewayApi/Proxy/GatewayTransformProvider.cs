using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// The Gateway API filters that change what is forwarded, as YARP transforms of the routes that carry a
/// <see cref="GatewayRouteBehavior"/>: the client's Host kept, RequestHeaderModifier (rule and backendRef),
/// URLRewrite (hostname, ReplaceFullPath, ReplacePrefixMatch) and ResponseHeaderModifier.
/// </summary>
public sealed class GatewayTransformProvider : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (GatewayRouteBehavior.Parse(context.Route.Metadata) is not { } behavior)
        {
            return;
        }

        context.AddOriginalHost(true);
        if (behavior.RequestHeaders is not null || behavior.Rewrite is not null || behavior.Backends?.Any(b => b.RequestHeaders is not null) == true)
        {
            context.AddRequestTransform(transform =>
            {
                Change(transform, behavior.RequestHeaders);
                if (behavior.Backends is { } backends && transform.HttpContext.Items[GatewayBackendSelection.ChosenBackendKey] is int chosen)
                {
                    Change(transform, backends[chosen].RequestHeaders);
                }

                if (behavior.Rewrite is { } rewrite)
                {
                    if (rewrite.Hostname is { } hostname)
                    {
                        transform.ProxyRequest.Headers.Host = hostname;
                    }

                    if (rewrite.FullPath is { } full)
                    {
                        transform.Path = full;
                    }
                    else if (rewrite.PrefixReplacement is { } replacement)
                    {
                        transform.Path = PathRewriter.ReplacePrefix(transform.HttpContext.Request.Path.Value ?? "/", behavior.Path, replacement);
                    }
                }

                return ValueTask.CompletedTask;
            });
        }

        if (behavior.ResponseHeaders is { } response)
        {
            context.AddResponseTransform(transform =>
            {
                var headers = transform.HttpContext.Response.Headers;
                foreach (var (name, value) in response.Set)
                {
                    headers[name] = value;
                }

                foreach (var (name, value) in response.Add)
                {
                    headers[name] = StringValues.Concat(headers[name], value);
                }

                foreach (var name in response.Remove)
                {
                    headers.Remove(name);
                }

                return ValueTask.CompletedTask;
            });
        }
    }

    private static void Change(RequestTransformContext transform, HeaderChanges? changes)
    {
        if (changes is null)
        {
            return;
        }

        foreach (var (name, value) in changes.Set)
        {
            RequestTransform.RemoveHeader(transform, name);
            RequestTransform.AddHeader(transform, name, value);
        }

        foreach (var (name, value) in changes.Add)
        {
            var existing = RequestTransform.TakeHeader(transform, name);
            RequestTransform.AddHeader(transform, name, StringValues.Concat(existing, value));
        }

        foreach (var name in changes.Remove)
        {
            RequestTransform.RemoveHeader(transform, name);
        }
    }
}
