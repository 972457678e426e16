using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using Chat.IngressController.GatewayApi.Translation;
using Chat.IngressController.Proxy;
using k8s.Models;

namespace Chat.IngressController.GatewayApi.Proxy;

/// <summary>
/// Certificates of the programmed HTTPS listeners for the SNI callback, per controller port (a Gateway with its own
/// address has its own): exact hostname, then the longest matching wildcard, then a listener without hostname.
/// Parsing (cached per Secret version) is the certificate store's.
/// </summary>
public sealed class GatewayCertificates(CertificateStore store)
{
    private ImmutableList<(int Port, string? Host, X509Certificate2 Certificate)> _listeners = [];

    public bool IsValid(string secretKey, V1Secret secret) =>
        secret.Data?.ContainsKey("tls.crt") == true && secret.Data.ContainsKey("tls.key") && store.Certificate(secretKey, secret) is not null;

    public void Update(IReadOnlyList<GatewayCertificate> certificates, IReadOnlyDictionary<string, V1Secret> secrets)
    {
        var list = new List<(int, string?, X509Certificate2)>();
        foreach (var binding in certificates.OrderBy(c => Hostnames.Specificity(c.Host)))
        {
            if (secrets.TryGetValue(binding.SecretKey, out var secret) && IsValid(binding.SecretKey, secret))
            {
                list.Add((binding.LocalPort, binding.Host, store.Certificate(binding.SecretKey, secret)!));
            }
        }

        Volatile.Write(ref _listeners, list.ToImmutableList());
    }

    public X509Certificate2? Select(int localPort, string? serverName)
    {
        foreach (var (port, host, certificate) in Volatile.Read(ref _listeners))
        {
            if (port != localPort)
            {
                continue;
            }

            if (host is null || (!string.IsNullOrEmpty(serverName) && Hostnames.Matches(host, serverName)))
            {
                return certificate;
            }
        }

        return null;
    }
}
