using System.Text.Json.Serialization.Metadata;

namespace OrderActors.Actors.Serialization;

public delegate void BinaryWrite(object message, ref BinaryCodec.Writer writer);

public delegate object BinaryRead(ref BinaryCodec.Reader reader);

/// <summary>A message written as JSON under <see cref="Manifest"/>; <see cref="Large"/> ones (snapshots) are written through pooled segments.</summary>
public sealed record JsonRow(Type Type, string Manifest, JsonTypeInfo Info, bool Large = false);

/// <summary>A message that carries whole orders, written in binary under <see cref="Manifest"/> (its JSON row stays readable).</summary>
public sealed record BinaryRow(Type Type, string Manifest, BinaryWrite Write, BinaryRead Read);

/// <summary>
/// What one feature binds to <see cref="OrderActorsSerializer"/>, declared once beside its protocol. A manifest, once
/// used, is never changed or reused: stored events are read by it for as long as the journal lives.
/// </summary>
public sealed record SerializationRows(IReadOnlyList<JsonRow> Json, IReadOnlyList<BinaryRow> Binary)
{
    public static SerializationRows Of(params JsonRow[] json) => new(json, []);

    public SerializationRows WithBinary(params BinaryRow[] binary) => this with { Binary = binary };
}
