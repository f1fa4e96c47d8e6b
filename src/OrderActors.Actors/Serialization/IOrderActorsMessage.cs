namespace OrderActors.Actors.Serialization;

/// <summary>Marks every message that is persisted or may cross nodes: all are bound to <c>OrderActorsSerializer</c>.</summary>
public interface IOrderActorsMessage;
