using Chat.IngressController.GatewayApi.Models;
using static Chat.IngressController.Tests.Ingress2Gateway.Converter;

namespace Chat.IngressController.Tests.Ingress2Gateway;

/// <summary>The command line: inputs, --gateway, other kinds, and clear errors (exit 1) for input it cannot convert.</summary>
public sealed class ConverterCommandTests
{
    [Fact]
    public async Task Files_and_stdin_are_read_and_other_kinds_are_skipped_with_a_note()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, Reference + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: chat}\n");

            var converted = await RunAsync(Ingress(), file, "-");

            Assert.Equal(0, converted.ExitCode);
            Assert.Equal([$"note: {file}: v1 Service chat is not a networking.k8s.io/v1 Ingress; skipped"], converted.Errors);
            Assert.Equal(["chat", "web"], converted.All<HttpRoute>().Select(r => r.Name));
            Assert.Equal(2, converted.All<Gateway>().Count());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_kubectl_list_of_ingresses_is_converted()
    {
        var list = "apiVersion: v1\nkind: List\nitems:\n" + string.Join("", Ingress().Split('\n').Select((l, i) => (i == 0 ? "- " : "  ") + l + "\n"));

        var converted = await RunAsync(list);

        Assert.Equal(0, converted.ExitCode);
        Assert.Equal("web", converted.Single<HttpRoute>().Name);
    }

    [Theory]
    [InlineData("gateways/shared", "shared", "gateways")]
    [InlineData("shared", "shared", null)]
    public async Task With_gateway_the_routes_attach_to_it_and_no_gateway_is_written(string option, string name, string? ns)
    {
        var converted = await RunAsync(Ingress(), "--gateway", option);

        Assert.Equal(0, converted.ExitCode);
        Assert.Empty(converted.All<Gateway>());
        var parent = Assert.Single(converted.Single<HttpRoute>().Spec.ParentRefs!);
        Assert.Equal((name, ns), (parent.Name, parent.Namespace));
    }

    [Theory]
    [InlineData("kind: Ingress\nmetadata: [", "error: stdin: not valid YAML at line")]
    [InlineData("- just\n- a list\n", "error: stdin: line 1: a Kubernetes object must be a mapping")]
    [InlineData("metadata: {name: x}\n", "error: stdin: line 1: an object without apiVersion or kind")]
    [InlineData("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rules: 3}\n", "error: stdin: Ingress x:")]
    [InlineData("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rules: [{http: {paths: [{path: api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}\n",
        "error: Ingress x: path \"api\" must start with /")]
    [InlineData("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {rules: [{http: {paths: [{path: /, pathType: Regex, backend: {service: {name: web, port: {number: 80}}}}]}}]}\n",
        "error: Ingress x: pathType \"Regex\" is not Exact")]
    [InlineData("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec: {defaultBackend: {service: {port: {number: 80}}}}\n",
        "error: Ingress x: the default backend has no backend service name")]
    [InlineData("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {namespace: a}\nspec: {}\n", "error: an Ingress has no metadata.name")]
    public async Task Input_that_cannot_be_converted_is_a_clear_error_and_exit_code_1(string yaml, string error)
    {
        var converted = await RunAsync(yaml);

        Assert.Equal(1, converted.ExitCode);
        Assert.Empty(converted.Yaml);
        Assert.StartsWith(error, Assert.Single(converted.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--gateway", "a/b/c", "error: --gateway \"a/b/c\" is not namespace/name or name")]
    [InlineData("--gateway", "Shared", "error: --gateway \"Shared\" is not a Kubernetes name")]
    [InlineData("--gateway-class", "", "error: --gateway-class \"\" is not a Kubernetes name")]
    public async Task A_bad_option_is_a_clear_error(string option, string value, string error)
    {
        var converted = await RunAsync(Ingress(), option, value);

        Assert.Equal(1, converted.ExitCode);
        Assert.StartsWith(error, Assert.Single(converted.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        var converted = await RunAsync("", "/nonexistent/ingress.yaml");

        Assert.Equal(1, converted.ExitCode);
        Assert.StartsWith("error: cannot read /nonexistent/ingress.yaml:", Assert.Single(converted.Errors), StringComparison.Ordinal);
    }
}
