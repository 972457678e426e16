using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Chat.IngressController.Translation;
using k8s.Models;

namespace Chat.IngressController.Proxy;

/// <summary>
/// Server certificates by host name for Kestrel's SNI callback, from the Ingresses' TLS Secrets. Hosts without a
/// certificate get a self-signed fallback (like ingress-nginx's "fake certificate"). Parsed certificates are cached
/// by Secret resourceVersion.
/// </summary>
public sealed class CertificateStore : IDisposable
{
    private readonly X509Certificate2 _fallback = CreateFallback();
    private readonly Dictionary<string, (string Version, X509Certificate2? Certificate, string? Error)> _parsed = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, X509Certificate2> _byHost = ImmutableDictionary<string, X509Certificate2>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    public X509Certificate2 Fallback => _fallback;

    /// <summary>Kestrel's ServerCertificateSelector: exact host, then "*.parent", then the fallback.</summary>
    public X509Certificate2 Select(string? serverName) => Find(serverName) ?? _fallback;

    /// <summary>An Ingress certificate for the host (exact, then "*.parent"), or null.</summary>
    public X509Certificate2? Find(string? serverName)
    {
        var byHost = Volatile.Read(ref _byHost);
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }

        if (byHost.TryGetValue(serverName, out var exact))
        {
            return exact;
        }

        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && byHost.TryGetValue("*" + serverName[dot..], out var wildcard) ? wildcard : null;
    }

    /// <summary>The certificate of a TLS Secret (parsed once per resourceVersion), or null when it holds none.</summary>
    public X509Certificate2? Certificate(string secretKey, V1Secret secret)
    {
        lock (_parsed)
        {
            return Parse(secretKey, secret).Item2;
        }
    }

    /// <summary>Replaces the host map; returns the bindings whose Secret did not hold a usable certificate.</summary>
    public IReadOnlyList<IngressProblem> Update(IEnumerable<TlsBinding> bindings, IReadOnlyDictionary<string, V1Secret> secrets)
    {
        var problems = new List<IngressProblem>();
        var builder = ImmutableDictionary.CreateBuilder<string, X509Certificate2>(StringComparer.OrdinalIgnoreCase);
        lock (_parsed)
        {
            foreach (var binding in bindings)
            {
                if (!secrets.TryGetValue(binding.SecretKey, out var secret))
                {
                    continue;
                }

                var (_, certificate, error) = Parse(binding.SecretKey, secret);
                if (certificate is not null)
                {
                    builder[binding.Host] = certificate;
                }
                else
                {
                    problems.Add(new IngressProblem(binding.Ingress, "InvalidCertificate", $"TLS secret {binding.SecretKey}: {error}"));
                }
            }

            foreach (var stale in _parsed.Keys.Where(k => !secrets.ContainsKey(k)).ToList())
            {
                _parsed.Remove(stale);
            }
        }

        Volatile.Write(ref _byHost, builder.ToImmutable());
        return problems;
    }

    public void Dispose() => _fallback.Dispose();

    private (string, X509Certificate2?, string?) Parse(string key, V1Secret secret)
    {
        var version = secret.Metadata.ResourceVersion ?? "";
        if (_parsed.TryGetValue(key, out var cached) && cached.Version == version)
        {
            return cached;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPem(
                Encoding.UTF8.GetString(secret.Data["tls.crt"]), Encoding.UTF8.GetString(secret.Data["tls.key"]));
            cached = (version, certificate, null);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or KeyNotFoundException)
        {
            cached = (version, null, e.Message);
        }

        _parsed[key] = cached;
        return cached;
    }

    private static X509Certificate2 CreateFallback()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Chat Ingress Controller Fake Certificate", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
