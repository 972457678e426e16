using System.Security.Cryptography;
using System.Text.Json;
using Chat.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Server.Tests.Security;

/// <summary>
/// An OpenID Connect issuer served by the test on a free loopback port: its discovery document and a JWKS with one
/// RSA key, and real RS256 tokens signed with it (Keycloak-style: preferred_username, sub, aud, exp).
/// </summary>
public sealed class TestTokenIssuer : IAsyncDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly WebApplication _app;

    private TestTokenIssuer(WebApplication app, Uri authority)
    {
        _app = app;
        Authority = authority;
    }

    public Uri Authority { get; }

    public string Issuer => Authority.ToString().TrimEnd('/');

    public static async Task<TestTokenIssuer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new TestTokenIssuer(app, new Uri($"http://127.0.0.1:{port}/realms/chat/"));
        app.MapGet("/realms/chat/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.Issuer + "/protocol/openid-connect/certs",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/realms/chat/protocol/openid-connect/certs", () => Results.Text(issuer.Jwks(), "application/json"));
        await app.StartAsync();
        return issuer;
    }

    /// <summary>A token for <paramref name="user"/>, valid for <paramref name="lifetime"/>; signed by another key when <paramref name="forged"/>.</summary>
    public string Token(string user, TimeSpan lifetime, string? rooms = null, string audience = "chat", bool forged = false)
    {
        var claims = new Dictionary<string, object> { ["preferred_username"] = user, ["sub"] = "id-" + user };
        if (rooms is not null)
        {
            claims["chat_rooms"] = rooms;
        }

        var now = DateTime.UtcNow;
        using var other = RSA.Create(2048);
        var signing = new RsaSecurityKey(forged ? other : _key) { KeyId = "k1" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-1),
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _key.Dispose();
    }

    private string Jwks()
    {
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        return JsonSerializer.Serialize(new
        {
            keys = new[]
            {
                new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
            },
        });
    }
}
