using System.Globalization;
using System.Text.RegularExpressions;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>
/// Cluster DNS for Services, as text: there is no resolver to teach, so a Service's name followed by one of its
/// ports in an env value or argument (<c>redis:6379</c>, <c>redis.chat.svc.cluster.local:6379</c>) is written as
/// its virtual IP and the host port its proxy listens on. Only names of existing Services with that port change.
/// </summary>
public sealed partial class ServiceDns(Func<string, string, int, string?> endpoint)
{
    public string Rewrite(string text, string podNamespace) =>
        HostPort().Replace(text, m =>
        {
            var ns = m.Groups["ns"].Success ? m.Groups["ns"].Value : podNamespace;
            var port = int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture);
            return endpoint(ns, m.Groups["name"].Value, port) ?? m.Value;
        });

    [GeneratedRegex(@"(?<![\w.-])(?<name>[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.(?<ns>[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.cluster\.local)?)?)?:(?<port>\d{1,5})\b")]
    private static partial Regex HostPort();
}
