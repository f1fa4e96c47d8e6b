namespace OrderActors.Node.Units;

// The shapes of docs/API.md for the business units and their queues (a feed's page: Domain/Delivery/DeliveredOrder).

public sealed record UnitInfo(string Unit, IReadOnlyList<string> Codes, int Queues, IReadOnlyList<long> Depth, IReadOnlyList<long> LastSeq);

/// <summary>A first queue or a unit queue, for operators: its depth and last seq (offset), and the node that holds it.</summary>
public sealed record QueueView(string Name, string Node, long Depth, long LastSeq);
