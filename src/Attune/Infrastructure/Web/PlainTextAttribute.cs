using System.ComponentModel.DataAnnotations;

namespace Attune.Infrastructure.Web;

/// <summary>A form field that must be ordinary text: no control characters (see <see cref="FieldErrors.PlainText"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PlainTextAttribute : ValidationAttribute
{
    public PlainTextAttribute() : base("Please leave out control characters; only ordinary text can be saved here.") { }

    public override bool IsValid(object? value) => value is not string s || !FieldErrors.HasControl(s);
}
