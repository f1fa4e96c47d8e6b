using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;

namespace OrderActors.Tests.Actors;

internal static class PersistenceAssertions
{
    /// <summary>Waits until a snapshot of <paramref name="persistenceId"/> is stored, then stops <paramref name="entity"/>.</summary>
    public static void AwaitSnapshotThenStop(this TestKitBase kit, string persistenceId, IActorRef entity)
    {
        var snapshots = Persistence.Instance.Apply(kit.Sys).SnapshotStoreFor(null);
        kit.AwaitAssert(() =>
        {
            snapshots.Tell(new LoadSnapshot(persistenceId, SnapshotSelectionCriteria.Latest, long.MaxValue), kit.TestActor);
            Assert.NotNull(kit.ExpectMsg<LoadSnapshotResult>().Snapshot);
        }, TimeSpan.FromSeconds(3));

        kit.Watch(entity);
        kit.Sys.Stop(entity);
        kit.ExpectTerminated(entity);
    }
}
