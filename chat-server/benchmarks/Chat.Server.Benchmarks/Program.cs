using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process toolchain: the benchmarks run inside this build (no generated project), so the chat server's npm and
// static-asset build steps are not repeated per benchmark.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(Chat.Server.Benchmarks.StompParserBenchmarks).Assembly).Run(args, config);
