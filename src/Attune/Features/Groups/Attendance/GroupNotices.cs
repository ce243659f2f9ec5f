using Attune.Data;
using Attune.Features.Account;
using Attune.Infrastructure.Email;
using Attune.Infrastructure.Push;
using Microsoft.EntityFrameworkCore;

namespace Attune.Features.Groups.Attendance;

/// <summary>
/// Telling one person something about their group by push and by email, in Attune's own words
/// only: never the group's title, never who, never anything anyone wrote (an email or a lock
/// screen is not the group's room).
/// </summary>
public sealed class GroupNotices(AttuneDb db, Notices notices, Mailer mailer, AccountEmails links)
{
    public async Task SendAsync(string userId, string subject, string text, string path, CancellationToken ct)
    {
        notices.Send(new(userId, text, path, Urgent: false));
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        if (email is null) return;
        await mailer.SendAsync(email, subject, $"""
            Hello,

            {text}

            {links.BaseUrl}{path}

            Attune
            """, ct);
    }
}
