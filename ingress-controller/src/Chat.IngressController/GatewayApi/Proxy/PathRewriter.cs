namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>ReplacePrefixMatch: the matched PathPrefix of a path replaced, element-wise, without doubled or lost slashes.</summary>
public static class PathRewriter
{
    public static string ReplacePrefix(string path, string matchedPrefix, string replacement)
    {
        var prefix = matchedPrefix.TrimEnd('/');
        var rest = path.Length >= prefix.Length ? path[prefix.Length..] : "";
        var result = replacement.TrimEnd('/') + rest;
        if (result.Length == 0)
        {
            return "/";
        }

        return result.StartsWith('/') ? result : "/" + result;
    }
}
