using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.Server.Hubs;

/// <summary>
/// SignalR binds hub arguments by position and has no optional parameters, so a method cannot grow a parameter
/// without breaking the clients that call it with fewer. This protocol wraps another one: when an invocation of a
/// method whose trailing parameters have default values fails to bind, it binds the arguments given and fills in
/// the defaults (e.g. <c>Join(room, user)</c> of older clients on <c>Join(room, user, since = null)</c>).
/// </summary>
public sealed class OptionalArgumentsHubProtocol(IHubProtocol inner, Type hubType) : IHubProtocol
{
    private readonly Dictionary<string, ParameterInfo[]> _methods = hubType
        .GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(m => m.GetParameters() is [.., { HasDefaultValue: true }])
        .ToDictionary(m => m.Name, m => m.GetParameters(), StringComparer.OrdinalIgnoreCase);

    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var start = input;
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is not InvocationBindingFailureMessage failure || !_methods.TryGetValue(failure.Target, out var parameters))
        {
            return true;
        }

        for (var given = parameters.Length - 1; given >= 0 && parameters[given].HasDefaultValue; given--)
        {
            var retry = start;
            if (inner.TryParseMessage(ref retry, new FirstArgumentsBinder(binder, failure.Target, given), out var shorter)
                && shorter is InvocationMessage invocation)
            {
                var arguments = invocation.Arguments.Concat(parameters[given..].Select(p => p.DefaultValue)).ToArray();
                message = new InvocationMessage(invocation.InvocationId, invocation.Target, arguments, invocation.StreamIds)
                {
                    Headers = invocation.Headers,
                };
                input = retry;
                return true;
            }
        }

        return true;
    }

    /// <summary>The method's first <paramref name="count"/> parameters only.</summary>
    private sealed class FirstArgumentsBinder(IInvocationBinder inner, string method, int count) : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            string.Equals(methodName, method, StringComparison.OrdinalIgnoreCase)
                ? inner.GetParameterTypes(methodName).Take(count).ToArray()
                : inner.GetParameterTypes(methodName);

        public Type GetReturnType(string invocationId) => inner.GetReturnType(invocationId);

        public Type GetStreamItemType(string streamId) => inner.GetStreamItemType(streamId);

        public string? GetTarget(ReadOnlySpan<byte> utf8Bytes) => inner.GetTarget(utf8Bytes);
    }
}
