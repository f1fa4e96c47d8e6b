using System.Text;

namespace OrderActors.Domain.Orders;

/// <summary>
/// How order ids compare: after Unicode normalisation to NFC, so that the two spellings of one id (<c>café-1</c> with a
/// precomposed é, or with e and a combining accent, as different keyboards and systems send it) are one order. Builds
/// before 2026-12-07 stored ids as sent; an order stored then under a decomposed id still answers to that id
/// (<see cref="Spellings"/>), and a resend of it is recognised as that order, not taken as a new one.
/// </summary>
public static class OrderIds
{
    /// <summary>The id as it is stored and compared from now on: NFC.</summary>
    public static string Canonical(string id) => id.IsNormalized(NormalizationForm.FormC) ? id : id.Normalize(NormalizationForm.FormC);

    /// <summary>The ids an order asked for as <paramref name="asked"/> may be stored under: as asked (an earlier build's), then NFC.</summary>
    public static IReadOnlyList<string> Spellings(string asked) => Canonical(asked) is var canonical && canonical != asked ? [asked, canonical] : [asked];
}
