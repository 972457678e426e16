using System.Globalization;
using Yarp.ReverseProxy.Configuration;

namespace Chat.IngressController.Translation;

/// <summary>A YARP route for one Ingress path, with the request-side settings in its metadata.</summary>
public static class RouteConfigFactory
{
    public static RouteConfig Create(string id, string clusterId, string? host, string template, int order,
        BackendSettings settings, bool sslRedirect, string ingress)
    {
        var metadata = new Dictionary<string, string>
        {
            [MetadataKeys.Ingress] = ingress,
            [MetadataKeys.MaxBodySize] = settings.MaxBodySize.ToString(CultureInfo.InvariantCulture),
        };
        if (sslRedirect)
        {
            metadata[MetadataKeys.SslRedirect] = "true";
        }

        if (settings.AllowSourceRanges.Count > 0)
        {
            metadata[MetadataKeys.AllowSourceRanges] = string.Join(',', settings.AllowSourceRanges);
        }

        if (settings.DenyAll)
        {
            metadata[MetadataKeys.DenyAll] = "true";
        }

        return new RouteConfig
        {
            RouteId = id,
            ClusterId = clusterId,
            Order = order,
            Match = new RouteMatch { Hosts = host is null ? null : [host], Path = template },
            Metadata = metadata,
        };
    }
}
