using System.Text.RegularExpressions;
using OrderActors.Domain.Orders;

namespace OrderActors.Domain.Delivery;

/// <summary>
/// Business progress a downstream system reported for one order (<c>picked</c>, <c>shipped</c>, <c>invoiced</c>,
/// <c>cancelled</c>, or its own word): when it happened there (<paramref name="At"/>), its own reference, a note, and
/// when we received it.
/// </summary>
public sealed partial record BusinessStatus(string Status, DateTimeOffset At, string? Reference, string? Note, DateTimeOffset ReceivedAt)
{
    public const int MaxReference = 200;
    public const int MaxNote = 2000;

    /// <summary>The problems with a reported status, by field name (as the API names them).</summary>
    public static ValidationErrors Validate(string? status, string? reference, string? note)
    {
        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(status)) errors.Add("status", "is required: a word such as picked, shipped, invoiced or cancelled");
        else if (!Word().IsMatch(status))
            errors.Add("status", $"must be a lowercase word of 1–32 letters, digits, '-' or '_', starting with a letter (got '{Clip(status)}')");
        if (reference is { Length: > MaxReference }) errors.Add("reference", $"must be at most {MaxReference} characters");
        if (note is { Length: > MaxNote }) errors.Add("note", $"must be at most {MaxNote} characters");
        return errors;
    }

    private static string Clip(string text) => text.Length > 40 ? text[..40] + "…" : text;

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$")]
    private static partial Regex Word();
}
