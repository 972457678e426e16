namespace Chat.IngressController.Tests.Integration;

/// <summary>Integration tests run one at a time: they start servers and processes on a small shared machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "integration";
}
