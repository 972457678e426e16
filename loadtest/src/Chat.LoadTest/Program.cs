using System.CommandLine;
using Chat.LoadTest.Cli;

var configuration = new InvocationConfiguration
{
    // Ctrl+C cancels the run; give it time to write the summary and stop every process it started.
    ProcessTerminationTimeout = TimeSpan.FromSeconds(60),
};
return await LoadTestCommands.Create().Parse(args).InvokeAsync(configuration);
