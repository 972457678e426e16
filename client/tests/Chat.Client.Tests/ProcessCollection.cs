namespace Chat.Client.Tests;

/// <summary>Tests that start processes run one after another: they share two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    public const string Name = "processes";
}
