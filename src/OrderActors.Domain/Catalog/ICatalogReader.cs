namespace OrderActors.Domain.Catalog;

/// <summary>The catalog as this node has it now: what other features read of it (the stock unit: each product's opening figures).</summary>
public interface ICatalogReader
{
    CatalogSnapshot Current { get; }
}
