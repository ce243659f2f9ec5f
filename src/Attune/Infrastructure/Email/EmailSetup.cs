using Attune.Infrastructure.Jobs;

namespace Attune.Infrastructure.Email;

public static class EmailSetup
{
    /// <summary>The mail queue (<see cref="Mailer"/>), its job (<see cref="MailDelivery"/>) and how mail leaves (<see cref="IMailSender"/>).</summary>
    public static IServiceCollection AddEmail(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(o => o.Smtp.Security.ToLowerInvariant() is "auto" or "starttls" or "tls" or "sslonconnect" or "none", "Email:Smtp:Security must be Auto, StartTls, Tls or None.")
            .ValidateOnStart();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<SmtpMailSender>());
        services.AddSingleton<Mailer>();
        services.AddScoped<MailDelivery>();
        services.AddJobHandler<MailDelivery>(Mailer.SendJob, lane: "mail");
        return services;
    }
}
