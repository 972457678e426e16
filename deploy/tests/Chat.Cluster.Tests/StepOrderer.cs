using Xunit.Abstractions;
using Xunit.Sdk;

namespace Chat.Cluster.Tests;

/// <summary>The step of a scenario test: tests of one class run in this order, on one cluster.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StepAttribute(int order) : Attribute
{
    public int Order { get; } = order;
}

/// <summary>Orders a class's tests by their <see cref="StepAttribute"/>.</summary>
public sealed class StepOrderer : ITestCaseOrderer
{
    public const string Name = "Chat.Cluster.Tests.StepOrderer";
    public const string Assembly = "Chat.Cluster.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases)
        where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(StepAttribute).AssemblyQualifiedName)
            .FirstOrDefault()?.GetNamedArgument<int>(nameof(StepAttribute.Order)) ?? int.MaxValue);
}
