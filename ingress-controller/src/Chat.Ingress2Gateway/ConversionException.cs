namespace Chat.Ingress2Gateway;

/// <summary>Input that cannot be converted (not YAML, not a valid Ingress): reported on stderr, exit code 1.</summary>
public sealed class ConversionException(string message) : Exception(message);
