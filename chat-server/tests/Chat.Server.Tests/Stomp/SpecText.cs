using System.Text;

namespace Chat.Server.Tests.Stomp;

/// <summary>Frames written as the STOMP spec prints them (^@ is NUL).</summary>
internal static class SpecText
{
    public static byte[] Bytes(string specText) => Encoding.UTF8.GetBytes(specText.Replace("^@", "\0"));
}
