using System.Security.Claims;
using System.Text.Encodings.Web;
using Matchmaker.Core.Access;
using Matchmaker.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Matchmaker.Api.Access;

/// <summary>Roles and policies, and how handlers learn who is calling.</summary>
public static class AccessSetup
{
    /// <summary>The administrator alone: organiser accounts, grants and the audit log.</summary>
    public const string Administrators = "administrators";
    /// <summary>The administrator and organisers (each organiser only in its granted events, see <see cref="EventScope"/>).</summary>
    public const string Organisers = "organisers";
    public const string Analysts = "analysts";
    public const string Participants = "participants";

    public static IServiceCollection AddMatchmakerAccess(this IServiceCollection services)
    {
        services.AddBoundOptions<AccessOptions>("Matchmaker:Access", o =>
        {
            if (o.OrganiserToken is { } token && string.IsNullOrWhiteSpace(token))
                throw new ArgumentException("must not be blank (leave it out to have one generated)", nameof(o.OrganiserToken));
        });
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<Accounts>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Administrators, p => p.RequireRole("administrator"))
            .AddPolicy(Organisers, p => p.RequireRole("administrator", "organiser"))
            .AddPolicy(Analysts, p => p.RequireRole("administrator", "organiser", "analyst"))
            .AddPolicy(Participants, p => p.RequireAuthenticatedUser())
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return services;
    }

    /// <summary>The authenticated caller (endpoints behind a policy always have one).</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller ?? throw new InvalidOperationException("no authenticated caller");
}
