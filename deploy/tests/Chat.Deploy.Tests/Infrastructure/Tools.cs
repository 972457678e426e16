namespace Chat.Deploy.Tests.Infrastructure;

/// <summary>The command-line tools the checks run, each found on PATH or reported with how to get it.</summary>
public static class Tools
{
    public static string Kubectl => Command.Require("kubectl", "Install the Kubernetes client (kubectl, with its built-in kustomize).");

    public static string DockerCompose => Command.Require("docker-compose", "Install Debian's docker-compose (./test.sh does as root).");

    public static string Node => Command.Require("node", "Install Node.js 20 or newer.");

    public static string Dotnet => Command.Require("dotnet", "Install the .NET SDK.");
}
