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
        // The address is set before the host is built (UseUrls below), not by UseKestrel(port): that one rewrites the
        // server's addresses after the build, racing the app's own start of Kestrel ("Addresses cannot be modified
        // after the server has started"; dotnet/aspnetcore#67714).
        UseKestrel();
        StartServer();
    }

    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseUrls("http://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
