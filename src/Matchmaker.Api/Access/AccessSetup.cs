using System.Security.Claims;
using System.Text.Encodings.Web;
using Matchmaker.Core.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api.Access;

/// <summary>Roles and policies, and how handlers learn who is calling.</summary>
public static class AccessSetup
{
    public const string Organisers = "organisers";
    public const string Analysts = "analysts";
    public const string Participants = "participants";

    public static IServiceCollection AddMatchmakerAccess(this IServiceCollection services)
    {
        services.AddSingleton<AccessTokens>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Organisers, p => p.RequireRole("organiser"))
            .AddPolicy(Analysts, p => p.RequireRole("organiser", "analyst"))
            .AddPolicy(Participants, p => p.RequireAuthenticatedUser())
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>The authenticated caller (endpoints behind a policy always have one).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("no authenticated caller");
}
