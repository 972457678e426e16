using System.Diagnostics;
using Chat.Testing;

namespace Chat.Gateway.Benchmarks;

/// <summary>
/// Debian's nginx configured the way ingress-nginx proxies WebSockets (HTTP/1.1 upstream, Upgrade/Connection
/// headers, 3600 s read/send timeouts, keep-alive pool of 320), with least_conn over a shared zone (its best
/// case: counts shared by the workers). Own prefix and config in a temp folder; a scale-out is a config rewrite
/// plus `nginx -s reload`.
/// </summary>
internal sealed class NginxUnderTest : IProxyUnderTest
{
    private readonly string _prefix = Directory.CreateTempSubdirectory("chat-bench-nginx-").FullName;
    private readonly int _port = FreePort.Next();
    private ChildProcess? _process;

    public string Name => "nginx";

    public Uri Address => new($"http://127.0.0.1:{_port}");

    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("nginx is not running");

    private string ConfigPath => Path.Combine(_prefix, "nginx.conf");

    public static async Task<NginxUnderTest> StartAsync(IReadOnlyList<Uri> replicas)
    {
        var nginx = new NginxUnderTest();
        foreach (var dir in new[] { "logs", "client_body_temp", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp" })
        {
            Directory.CreateDirectory(Path.Combine(nginx._prefix, dir));
        }

        nginx.WriteConfig(replicas);
        nginx._process = new ChildProcess("nginx", ["-p", nginx._prefix, "-c", nginx.ConfigPath, "-e", Path.Combine(nginx._prefix, "logs", "error.log"), "-g", "daemon off;"]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (!await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri(nginx.Address, "/healthz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException("nginx did not start: " + nginx._process.Output);
        }

        return nginx;
    }

    public async Task SetReplicasAsync(IReadOnlyList<Uri> replicas)
    {
        WriteConfig(replicas);
        using var reload = Process.Start("nginx", ["-p", _prefix, "-c", ConfigPath, "-e", Path.Combine(_prefix, "logs", "error.log"), "-s", "reload"]);
        await reload.WaitForExitAsync();
        await Task.Delay(500);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        Directory.Delete(_prefix, recursive: true);
    }

    private void WriteConfig(IReadOnlyList<Uri> replicas)
    {
        var servers = string.Concat(replicas.Select(r => $"    server {r.Host}:{r.Port};\n"));
        File.WriteAllText(ConfigPath, $$"""
            worker_processes 2;
            pid {{_prefix}}/nginx.pid;
            events { worker_connections 8192; }
            http {
              access_log off;
              map $http_upgrade $connection_upgrade { default upgrade; '' ''; }
              upstream chat {
                zone chat 64k;
                least_conn;
            {{servers}}    keepalive 320;
                keepalive_timeout 60s;
              }
              server {
                listen 127.0.0.1:{{_port}};
                location / {
                  proxy_pass http://chat;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_connect_timeout 5s;
                  proxy_read_timeout 3600s;
                  proxy_send_timeout 3600s;
                  proxy_buffering off;
                }
              }
            }
            """);
    }
}
