using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Hosting;

/// <summary>Each entry is "*" or an origin such as <c>https://chat.example.com</c> (scheme, host, optional port, no path).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OriginListAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var bad = (value as IEnumerable<string> ?? []).Where(origin => !IsOrigin(origin)).ToList();
        return bad.Count == 0
            ? ValidationResult.Success
            : new ValidationResult(
                $"{validationContext.MemberName}: {string.Join(", ", bad.Select(b => $"'{b}'"))} is not '*' or an origin like https://chat.example.com.",
                [validationContext.MemberName!]);
    }

    private static bool IsOrigin(string origin) =>
        origin == "*" || (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/");
}
