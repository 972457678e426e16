using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Chat.Server.Tests.Support;

/// <summary>The chat server in the test process, on real Kestrel (a free loopback port), with the given settings.</summary>
public sealed class InProcessChatServer : WebApplicationFactory<Program>
{
    private readonly IDictionary<string, string?> _settings;

    public InProcessChatServer(IDictionary<string, string?>? settings = null)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        UseKestrel(0);
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
