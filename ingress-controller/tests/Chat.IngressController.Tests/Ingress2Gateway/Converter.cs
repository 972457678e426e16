using Chat.Ingress2Gateway;
using Chat.IngressController.GatewayApi.Models;
using Chat.IngressController.Tests.GatewayApi;
using Chat.Testing;

namespace Chat.IngressController.Tests.Ingress2Gateway;

/// <summary>Runs chat-ingress2gateway in process: its exit code, stdout read back as typed objects, stderr lines.</summary>
public sealed record Converter(int ExitCode, string Yaml, IReadOnlyList<string> Errors)
{
    public static string Reference => File.ReadAllText(Path.Combine(RepoPaths.Root, "k8s", "ingress.yaml"));

    public IReadOnlyList<GatewayApiObject> Objects => Manifests.Load(Yaml).Cast<GatewayApiObject>().ToList();

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public T Single<T>() => Assert.Single(All<T>());

    public static async Task<Converter> RunAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await ConverterCommand.Create(new StringReader(stdin), output, errors).Parse(args).InvokeAsync();
        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Converter(exit, output.ToString(), lines);
    }

    /// <summary>One Ingress for host a.example.com, path / to Service web:80, with these annotations (YAML flow map).</summary>
    public static string Ingress(string annotations = "{}", string spec = """
          rules:
          - host: a.example.com
            http:
              paths:
              - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
        """) => $"""
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: shop
          annotations: {annotations}
        spec:
        {spec}
        """;

    public static Task<Converter> ConvertAsync(string yaml) => RunAsync(yaml);
}
