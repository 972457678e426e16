namespace Chat.Testing;

/// <summary>
/// A chat server in Jwt mode whose own <c>/auth/dev-token</c> issues the tokens (names and rooms from the token),
/// short-lived so that tests see refreshes; no clock skew, so an expired token is expired.
/// </summary>
public static class DevTokenServer
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static Dictionary<string, string?> Settings(int tokenLifetimeSeconds) => OneHostLimits.With(OneHostLimits.ChatServer, new Dictionary<string, string?>
    {
        ["Chat:Auth:Mode"] = "Jwt",
        ["Chat:Auth:Jwt:DevTokens"] = "true",
        ["Chat:Auth:Jwt:DevTokenLifetimeSeconds"] = tokenLifetimeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Chat:Auth:Jwt:ClockSkewSeconds"] = "0",
    });

    /// <summary>A dev token for <paramref name="name"/> from the server at <paramref name="server"/>.</summary>
    public static async Task<string> TokenAsync(Uri server, string name)
    {
        using var response = await Http.PostAsync(new Uri(server, "auth/dev-token?name=" + Uri.EscapeDataString(name)), null);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"/auth/dev-token refused '{name}': {body}");
        }

        using var json = System.Text.Json.JsonDocument.Parse(body);
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }
}
