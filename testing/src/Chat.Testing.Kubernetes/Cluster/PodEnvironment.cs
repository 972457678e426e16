using System.Globalization;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Chat.Testing.Kubernetes.Cluster;

/// <summary>What a container's env can refer to: the pod's fields and the namespace's ConfigMaps and Secrets.</summary>
public sealed record PodFields(string Name, string Namespace, string Uid, string Ip, string NodeName, string? ServiceAccount,
    IDictionary<string, string> Labels, IDictionary<string, string> Annotations);

/// <summary>
/// A container's environment as the kubelet builds it: envFrom (ConfigMaps, Secrets, with prefix), then env in
/// order with <c>$(VAR)</c> expansion of earlier variables, fieldRef (metadata.name/namespace/uid/labels/
/// annotations, spec.nodeName/serviceAccountName, status.podIP/podIPs/hostIP), resourceFieldRef, configMapKeyRef
/// and secretKeyRef (optional honoured); arguments with the same expansion. Service links
/// (<c>*_SERVICE_HOST</c>) are not injected.
/// </summary>
public static partial class PodEnvironment
{
    public static Dictionary<string, string> Resolve(V1Container container, PodFields pod, Func<string, V1ConfigMap?> configMaps, Func<string, V1Secret?> secrets,
        IReadOnlyDictionary<string, string> imageEnvironment)
    {
        var env = new Dictionary<string, string>(imageEnvironment, StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } cmRef)
            {
                foreach (var (key, value) in configMaps(cmRef.Name)?.Data ?? Missing<string>(cmRef.Optional, "ConfigMap " + cmRef.Name))
                {
                    env[(source.Prefix ?? "") + key] = value;
                }
            }

            if (source.SecretRef is { } secretRef)
            {
                foreach (var (key, value) in secrets(secretRef.Name)?.Data ?? Missing<byte[]>(secretRef.Optional, "Secret " + secretRef.Name))
                {
                    env[(source.Prefix ?? "") + key] = System.Text.Encoding.UTF8.GetString(value);
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            if (variable.ValueFrom is not { } from)
            {
                env[variable.Name] = Expand(variable.Value ?? "", env);
            }
            else if (from.FieldRef is { } field)
            {
                env[variable.Name] = Field(field.FieldPath, pod);
            }
            else if (from.ConfigMapKeyRef is { } cmKey)
            {
                if (configMaps(cmKey.Name)?.Data?.TryGetValue(cmKey.Key, out var value) == true)
                {
                    env[variable.Name] = value;
                }
                else if (cmKey.Optional != true)
                {
                    throw new InvalidOperationException($"CreateContainerConfigError: ConfigMap {cmKey.Name} key {cmKey.Key} not found ({variable.Name})");
                }
            }
            else if (from.SecretKeyRef is { } secretKey)
            {
                if (secrets(secretKey.Name)?.Data?.TryGetValue(secretKey.Key, out var value) == true)
                {
                    env[variable.Name] = System.Text.Encoding.UTF8.GetString(value);
                }
                else if (secretKey.Optional != true)
                {
                    throw new InvalidOperationException($"CreateContainerConfigError: Secret {secretKey.Name} key {secretKey.Key} not found ({variable.Name})");
                }
            }
            else if (from.ResourceFieldRef is { } resource)
            {
                env[variable.Name] = ResourceField(resource, container);
            }
        }

        return env;
    }

    public static IReadOnlyList<string> Arguments(V1Container container, IReadOnlyDictionary<string, string> env)
    {
        if (container.Command is { Count: > 0 })
        {
            throw new NotSupportedException($"container {container.Name}: `command` replaces the image's entry point; the harness runs images by their entry point");
        }

        return [.. (container.Args ?? []).Select(a => Expand(a, env))];
    }

    /// <summary>$(VAR) becomes the variable's value when it is defined, $$ escapes; anything else stays as written.</summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> env) =>
        Reference().Replace(text, m => m.Value == "$$" ? "$" : env.TryGetValue(m.Groups["name"].Value, out var v) ? v : m.Value);

    private static string Field(string path, PodFields pod)
    {
        var match = Regex.Match(path, @"^metadata\.(?<map>labels|annotations)\['(?<key>[^']+)'\]$");
        if (match.Success)
        {
            var map = match.Groups["map"].Value == "labels" ? pod.Labels : pod.Annotations;
            return map.TryGetValue(match.Groups["key"].Value, out var v) ? v : "";
        }

        return path switch
        {
            "metadata.name" => pod.Name,
            "metadata.namespace" => pod.Namespace,
            "metadata.uid" => pod.Uid,
            "spec.nodeName" => pod.NodeName,
            "spec.serviceAccountName" => pod.ServiceAccount ?? "default",
            "status.podIP" or "status.podIPs" => pod.Ip,
            "status.hostIP" or "status.hostIPs" => "127.0.0.1",
            _ => throw new NotSupportedException("fieldRef " + path),
        };
    }

    private static string ResourceField(V1ResourceFieldSelector selector, V1Container container)
    {
        var parts = selector.Resource.Split('.');
        var map = parts[0] == "limits" ? container.Resources?.Limits : container.Resources?.Requests;
        if (map?.TryGetValue(parts[1], out var quantity) != true)
        {
            return "0";
        }

        var divisor = selector.Divisor is null ? 1m : selector.Divisor.ToDecimal();
        return Math.Ceiling(quantity!.ToDecimal() / divisor).ToString(CultureInfo.InvariantCulture);
    }

    private static IDictionary<string, T> Missing<T>(bool? optional, string what) =>
        optional == true ? new Dictionary<string, T>() : throw new InvalidOperationException($"CreateContainerConfigError: {what} not found");

    [GeneratedRegex(@"\$\$|\$\((?<name>[A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
