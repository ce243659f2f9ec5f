using System.Threading.Channels;
using Attune.Data;
using Attune.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace Attune.Infrastructure.Push;

/// <summary>An email to send instead, when no push service took the notice and no Attune page of theirs is open.</summary>
public sealed record NoticeEmail(string Subject, string Body);

/// <summary>A notice for one person: Attune's own words and where to look, never who or what was written.</summary>
public sealed record Notice(string UserId, string Text, string Url, bool Urgent, NoticeEmail? Otherwise = null);

/// <summary>
/// The background delivery queue for push notices. A request or a job hands a notice over and
/// goes on at once: a reach is answered without waiting for anyone's devices, and an escalation
/// never waits behind other people's deliveries. Up to <see cref="Parallel"/> people's notices go
/// out side by side; each person's devices get one budget (<see cref="PerPerson"/>) in all, so
/// endpoints that never answer cost seconds, not minutes, and only that person's slot.
/// In memory: a notice queued when a node stops is lost (the reach itself, its escalation and its
/// email fallback for later waves are in the database).
/// </summary>
public sealed class Notices(IServiceScopeFactory scopes, Live.EventHub hub, ILogger<Notices> logger) : BackgroundService
{
    public const int Parallel = 16;
    public static readonly TimeSpan PerPerson = TimeSpan.FromSeconds(8);

    private readonly Channel<Notice> _queue = Channel.CreateBounded<Notice>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private int _pending;

    /// <summary>Nothing queued and nothing being delivered.</summary>
    public bool IsIdle => Volatile.Read(ref _pending) == 0;

    /// <summary>Queues a notice; never waits. When the queue is full the notice is dropped (and said so in the log, without who).</summary>
    public void Send(Notice notice)
    {
        Interlocked.Increment(ref _pending);
        if (_queue.Writer.TryWrite(notice)) return;
        Interlocked.Decrement(ref _pending);
        logger.LogWarning("A push notice was dropped: the delivery queue is full");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Parallel, Parallel);
        var running = new List<Task>();
        try
        {
            await foreach (var notice in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try { await DeliverAsync(notice, stoppingToken); }
                    finally
                    {
                        Interlocked.Decrement(ref _pending);
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        await Task.WhenAll(running);
    }

    private async Task DeliverAsync(Notice notice, CancellationToken ct)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var delivered = await scope.ServiceProvider.GetRequiredService<PushSender>().DeliverAsync(notice.UserId, notice.Text, notice.Url, notice.Urgent, PerPerson, ct);
            if (delivered > 0 || notice.Otherwise is not { } email || hub.IsConnected(notice.UserId)) return;
            var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
            var address = await db.Users.AsNoTracking().Where(u => u.Id == notice.UserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
            if (address is not null) await scope.ServiceProvider.GetRequiredService<Mailer>().SendAsync(address, email.Subject, email.Body, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
#pragma warning disable CA1031 // One person's failed notice must not stop the others'.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning("A push notice could not be delivered: {ExceptionType}", e.GetType().FullName);
        }
    }
}
