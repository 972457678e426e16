using Chat.Testing;

namespace Chat.Gateway.Benchmarks.DataPath;

/// <summary>The <see cref="EchoServer"/> in a process of its own (this program in its echo-server mode).</summary>
internal sealed class EchoBackendProcess(ChildProcess process, int port) : IAsyncDisposable
{
    public Uri Address => new($"http://127.0.0.1:{port}");

    public int ProcessId => process.Id;

    public static async Task<EchoBackendProcess> StartAsync()
    {
        var port = FreePort.Next();
        var self = typeof(EchoServer).Assembly.Location;
        var process = new ChildProcess("dotnet", [self, EchoServer.Command, port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0" });
        var backend = new EchoBackendProcess(process, port);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (!await Eventually.TrueAsync(async () => !process.HasExited && (await http.GetAsync(new Uri(backend.Address, "/healthz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(30)))
        {
            var output = process.Output;
            await process.DisposeAsync();
            throw new InvalidOperationException("the echo backend did not start: " + output);
        }

        return backend;
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();
}
