using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Attune.Infrastructure.Jobs;

public static class JobsSetup
{
    /// <summary>The job queue and its worker. The kinds come from the features' <see cref="AddJobHandler{THandler}"/> calls.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobRunner>();
        services.AddHostedService<JobWorker>();
        return services;
    }

    /// <summary>
    /// Runs jobs of <paramref name="kind"/> with <typeparamref name="THandler"/>, in <paramref name="lane"/>.
    /// Lanes never wait for each other, so work that must be prompt (a reach moving on) gets a lane
    /// of its own, away from work that talks to the network (email).
    /// </summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services, string kind, string lane) where THandler : class, IJobHandler
    {
        ArgumentException.ThrowIfNullOrEmpty(lane);
        if (string.IsNullOrEmpty(kind) || kind.Length > JobRunner.MaxKindLength)
            throw new ArgumentException($"A job kind has 1 to {JobRunner.MaxKindLength} characters.", nameof(kind));
        services.TryAddScoped<THandler>();
        services.AddSingleton(new JobKind(kind, lane, typeof(THandler)));
        return services;
    }
}
