namespace OrderActors.Domain.Orders;

// An order as the API shows it (docs/API.md), mapped explicitly from the model: renaming a property of the model
// changes none of these shapes.

/// <summary>An order as a feed or a webhook carries it: what the OMS sent, enriched.</summary>
public sealed record OrderBody(string OrderId, string BusinessCode, string? CustomerId, DateTimeOffset? PlacedAt, IReadOnlyList<OrderLineView> Lines)
{
    public static OrderBody From(Order order) =>
        new(order.OrderId, order.BusinessCode, order.CustomerId, order.PlacedAt, order.Lines.Select(OrderLineView.From).ToList());
}

/// <summary>An enriched order line: what was ordered, with the product and manufacturer attached at intake.</summary>
public sealed record OrderLineView(string Sku, int Quantity, decimal? UnitPrice, ProductRef? Product, ManufacturerRef? Manufacturer)
{
    public static OrderLineView From(OrderLine line) => new(line.Sku, line.Quantity, line.UnitPrice,
        line.Product is { } p ? new ProductRef(p.Name) : null,
        line.Manufacturer is { } m ? new ManufacturerRef(m.Id, m.Name) : null);
}

public sealed record ProductRef(string Name);

public sealed record ManufacturerRef(string Id, string Name);
