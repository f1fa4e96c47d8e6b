using OrderActors.Domain.Orders;

namespace OrderActors.Tests.Domain;

public class OrderIdentityTests
{
    [Fact]
    public void First_queue_assignment_is_stable_fnv1a()
    {
        // FNV-1a 32-bit reference values: "" -> 0x811c9dc5, "a" -> 0xe40c292c.
        Assert.Equal(0x811c9dc5u, QueueAssignment.Fnv1a(""));
        Assert.Equal(0xe40c292cu, QueueAssignment.Fnv1a("a"));
        Assert.Equal((int)(0xe40c292cu % 4), QueueAssignment.FirstQueue("a", 4));
    }

    [Fact]
    public void First_queues_spread_order_ids_evenly()
    {
        var counts = new int[4];
        for (var i = 0; i < 10_000; i++) counts[QueueAssignment.FirstQueue($"order-{i}", 4)]++;
        Assert.All(counts, c => Assert.InRange(c, 2_200, 2_800));
    }

    [Fact]
    public void The_same_content_has_the_same_fingerprint_whatever_the_number_format()
    {
        var a = TestData.Order("1") with { Lines = [new OrderLine("11", 12, 14.0m)] };
        var b = TestData.Order("1") with { Lines = [new OrderLine("11", 12, 14m)] };
        Assert.Equal(OrderFingerprint.Compute(a), OrderFingerprint.Compute(b));
    }

    [Fact]
    public void Any_change_of_content_changes_the_fingerprint()
    {
        var order = TestData.Order("1");
        var fingerprint = OrderFingerprint.Compute(order);
        Assert.NotEqual(fingerprint, OrderFingerprint.Compute(order with { BusinessCode = "B2B" }));
        Assert.NotEqual(fingerprint, OrderFingerprint.Compute(order with { CustomerId = "ALFKI" }));
        Assert.NotEqual(fingerprint, OrderFingerprint.Compute(order with { PlacedAt = null }));
        Assert.NotEqual(fingerprint, OrderFingerprint.Compute(order with { Lines = [new OrderLine("11", 2, 14m)] }));
        Assert.NotEqual(fingerprint, OrderFingerprint.Compute(order with { Lines = [new OrderLine("11", 1, null)] }));
    }
}
