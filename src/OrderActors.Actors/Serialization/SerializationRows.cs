using OrderActors.Actors;
using System.Text.Json.Serialization.Metadata;

namespace OrderActors.Actors.Serialization;

public delegate void BinaryWrite(object message, ref BinaryCodec.Writer writer);

public delegate object BinaryRead(ref BinaryCodec.Reader reader);

/// <summary>
/// A message written as JSON under <see cref="Manifest"/>; <see cref="Large"/> ones (snapshots) are written through
/// pooled segments. A message that carries domain types is stored in a shape of its own (<see cref="Stored{TMessage,TStored}"/>),
/// mapped explicitly, so that renaming a property of the model cannot change what is stored or make stored data unreadable.
/// </summary>
public sealed record JsonRow(Type Type, string Manifest, JsonTypeInfo Info, bool Large = false)
{
    /// <summary>Maps the message to the shape <see cref="Info"/> describes (null: the message is its own shape).</summary>
    public Func<object, object>? ToStored { get; private init; }

    public Func<object, object>? FromStored { get; private init; }

    public static JsonRow Stored<TMessage, TStored>(string manifest, JsonTypeInfo<TStored> info, Func<TMessage, TStored> toStored,
        Func<TStored, TMessage> fromStored, bool large = false) where TMessage : notnull where TStored : notnull =>
        new(typeof(TMessage), manifest, info, large)
        {
            ToStored = m => toStored((TMessage)m),
            FromStored = s => fromStored((TStored)s),
        };
}

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
