using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Chat.Gateway.Hosting;

/// <summary>Start-up validation of <see cref="GatewayOptions"/>: a clear message instead of a gateway without replicas.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        if (options.ConfigFile is { Length: > 0 } file && !File.Exists(file))
        {
            errors.Add($"Gateway:ConfigFile '{file}' does not exist.");
        }

        if (options.Dns.RefreshPeriod < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"Gateway:Dns:RefreshPeriod must be at least 100 ms, got {options.Dns.RefreshPeriod}.");
        }

        if (options.Dns.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 or AddressFamily.Unspecified))
        {
            errors.Add($"Gateway:Dns:AddressFamily must be InterNetwork, InterNetworkV6 or Unspecified, got {options.Dns.AddressFamily}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
