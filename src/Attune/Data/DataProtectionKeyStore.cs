using System.Text;
using System.Xml.Linq;
using Attune.Infrastructure.Crypto;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Attune.Data;

/// <summary>
/// Keeps the Data Protection key ring (cookies, bearer tokens, antiforgery) in the database so
/// that every node shares it, and encrypts each key under the master key so that a copy of the
/// database alone cannot mint a sign-in.
/// </summary>
public sealed class DataProtectionKeyStore(IServiceScopeFactory scopes, MasterKeyRing ring) : IXmlRepository
{
    internal static string Context(string friendlyName) => $"attune/dataprotection/{friendlyName}";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        return db.DataProtectionKeys.AsNoTracking().ToList()
            .Select(k => XElement.Parse(Encoding.UTF8.GetString(ring.Unwrap(k.MasterKeyVersion, k.Xml, Context(k.FriendlyName)))))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AttuneDb>();
        var (version, wrapped) = ring.Wrap(Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting)), Context(friendlyName));
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = wrapped, MasterKeyVersion = version });
        db.SaveChanges();
    }
}
