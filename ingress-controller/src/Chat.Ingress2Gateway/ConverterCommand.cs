using System.CommandLine;

namespace Chat.Ingress2Gateway;

/// <summary>
/// `chat-ingress2gateway [FILE...]`: Ingress YAML (files, or stdin when none or "-") to Gateway API YAML on stdout;
/// notes and warnings on stderr (exit 0), invalid input an error on stderr (exit 1).
/// </summary>
public static class ConverterCommand
{
    public static RootCommand Create(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("files") { Description = "Ingress YAML files (multi-document, kind: List too); none or - reads stdin", Arity = ArgumentArity.ZeroOrMore };
        var gatewayClass = new Option<string>("--gateway-class")
        {
            Description = "GatewayClass (and name) of the Gateway written per namespace",
            DefaultValueFactory = _ => "chat",
        };
        var gateway = new Option<string?>("--gateway")
        {
            Description = "Attach the HTTPRoutes to this existing Gateway (namespace/name, or name in each Ingress's namespace) instead of writing one",
        };
        var controllerService = new Option<string>("--controller-service")
        {
            Description = "The controller's Service, asked for in each written Gateway's spec.addresses (NamedAddress) so it keeps the Ingresses' address; \"\" asks for none",
            DefaultValueFactory = _ => "chat-ingress-controller",
        };
        var root = new RootCommand("Converts Ingresses (with the ingress-nginx and chat.io annotations the chat controller honours) to a Gateway, HTTPRoutes and ConnectionPolicies.")
        {
            files, gatewayClass, gateway, controllerService,
        };
        root.SetAction(async (parse, cancel) =>
        {
            try
            {
                var options = new ConversionOptions
                {
                    GatewayClass = Name(parse.GetValue(gatewayClass), "--gateway-class"),
                    Gateway = GatewayRef(parse.GetValue(gateway)),
                    ControllerService = parse.GetValue(controllerService) is { Length: > 0 } service ? Name(service, "--controller-service") : null,
                };
                var ingresses = new List<k8s.Models.V1Ingress>();
                void Note(string message) => stderr.WriteLine("note: " + message);
                foreach (var file in parse.GetValue(files) is { Length: > 0 } given ? given : ["-"])
                {
                    var text = file == "-" ? await stdin.ReadToEndAsync(cancel) : await ReadFileAsync(file, cancel);
                    ingresses.AddRange(ManifestReader.Read(text, file == "-" ? "stdin" : file, Note));
                }

                var result = IngressConverter.Convert(ingresses, options);
                foreach (var warning in result.Warnings)
                {
                    await stderr.WriteLineAsync("warning: " + warning);
                }

                await stdout.WriteAsync(YamlWriter.Write(result.Objects));
                return 0;
            }
            catch (ConversionException e)
            {
                await stderr.WriteLineAsync("error: " + e.Message);
                return 1;
            }
        });
        return root;
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancel)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConversionException($"cannot read {path}: {e.Message}");
        }
    }

    private static (string? Namespace, string Name)? GatewayRef(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var parts = value.Split('/');
        return parts.Length switch
        {
            1 => (null, Name(parts[0], "--gateway")),
            2 => (Name(parts[0], "--gateway namespace"), Name(parts[1], "--gateway")),
            _ => throw new ConversionException($"--gateway \"{value}\" is not namespace/name or name"),
        };
    }

    private static string Name(string? value, string what) =>
        value is { Length: > 0 and <= 253 } && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')
            ? value
            : throw new ConversionException($"{what} \"{value}\" is not a Kubernetes name (lower-case letters, digits, - and .)");
}
