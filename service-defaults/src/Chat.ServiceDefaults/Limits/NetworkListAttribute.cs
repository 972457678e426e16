using System.ComponentModel.DataAnnotations;

namespace Chat.ServiceDefaults.Limits;

/// <summary>Each entry is an address or a CIDR network (see <see cref="IPNetworkList"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NetworkListAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var bad = (value as IEnumerable<string> ?? []).Where(e => !string.IsNullOrWhiteSpace(e) && !IPNetworkList.TryParse(e, out _)).ToList();
        return bad.Count == 0
            ? ValidationResult.Success
            : new ValidationResult(
                $"{validationContext.MemberName}: {string.Join(", ", bad.Select(b => $"'{b}'"))} is not an address or a CIDR network like 10.0.0.0/8.",
                [validationContext.MemberName!]);
    }
}
