using OrderActors.Actors;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using OrderActors.Actors.Delivery;
using OrderActors.Actors.Ingest;
using OrderActors.Actors.Serialization;
using OrderActors.Actors.Units;
using OrderActors.Domain.Ingest;
using OrderActors.Domain.Units;
using OrderActors.Fixtures;

namespace OrderActors.Tests.Serialization;

/// <summary>
/// Data already stored stays readable: the bytes under <c>tests/fixtures/messages/</c> were written by earlier builds
/// (each folder by the build it is named for, see its README) and today's serializer must read every one of them
/// back, through the production bindings, into exactly the values they were written from, field by field. A JSON
/// payload must also lose nothing: written again as JSON it is the same document, so a property renamed or dropped
/// on both sides still fails. A change that cannot read them is a change that would make existing journals
/// unreadable: fix the change, never the fixtures.
/// </summary>
public sealed class GoldenFixtureTests() : Akka.TestKit.Xunit2.TestKit(ActorSpecConfig.Config)
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fixtures", "messages");

    private static readonly Dictionary<string, IReadOnlyDictionary<string, object>> SamplesByVersion = new()
    {
        [SamplesV1.Version] = SamplesV1.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV2.Version] = SamplesV2.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV3.Version] = SamplesV3.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV4.Version] = SamplesV4.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV5.Version] = SamplesV5.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV6.Version] = SamplesV6.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV7.Version] = SamplesV7.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV8.Version] = SamplesV8.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV9.Version] = SamplesV9.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV10.Version] = SamplesV10.All.ToDictionary(s => s.Name, s => s.Message),
        [SamplesV11.Version] = SamplesV11.All.ToDictionary(s => s.Name, s => s.Message),
    };

    public static TheoryData<string, string> Fixtures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (version, entries) in Index())
            foreach (var entry in entries)
                data.Add(version, entry.File);
        return data;
    }

    private static IEnumerable<(string Version, IReadOnlyList<FixtureEntry> Entries)> Index() =>
        Directory.GetDirectories(Root).Order(StringComparer.Ordinal).Select(dir => (Path.GetFileName(dir),
            (IReadOnlyList<FixtureEntry>)JsonSerializer.Deserialize<List<FixtureEntry>>(File.ReadAllText(Path.Combine(dir, "index.json")))!));

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void A_stored_payload_of_an_earlier_build_is_read_into_the_values_it_was_written_from(string version, string file)
    {
        var entry = Index().Single(v => v.Version == version).Entries.Single(e => e.File == file);
        var bytes = File.ReadAllBytes(Path.Combine(Root, version, file));
        Assert.Equal(OrderActorsSerializer.SerializerId, entry.SerializerId);

        var read = Sys.Serialization.Deserialize(bytes, entry.SerializerId, entry.Manifest);

        Assert.Equal(entry.Type, read.GetType().FullName);
        DeepEquality.AssertEqual(SamplesByVersion[version][entry.Sample], read);
        if (bytes[0] == (byte)'{')
        {
            var json = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: false);
            var again = JsonNode.Parse(json.ToBinary(read));
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(bytes), again),
                $"{file} written again as JSON differs:\nstored: {JsonNode.Parse(bytes)!.ToJsonString()}\nagain:  {again!.ToJsonString()}");
        }
    }

    [Fact]
    public void Every_persisted_type_has_a_fixture_in_every_form_it_is_written_in()
    {
        var v1 = Index().Single(v => v.Version == SamplesV1.Version).Entries;
        var binary = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: true);
        var json = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: false);
        Assert.Equal(12, SamplesV1.PersistedTypes.Length);
        foreach (var type in SamplesV1.PersistedTypes)
        {
            var sample = SamplesV1.All.First(s => s.Message.GetType() == type).Message;
            foreach (var manifest in new[] { binary.Manifest(sample), json.Manifest(sample) }.Distinct())
                Assert.True(v1.Any(e => e.Type == type.FullName && e.Manifest == manifest), $"no v1 fixture of {type.Name} under manifest '{manifest}'");
        }
        Assert.All(v1, e => Assert.Contains(SamplesV1.PersistedTypes, t => t.FullName == e.Type));
    }

    [Fact]
    public void Every_persisted_type_added_since_v1_has_a_fixture_of_its_version_in_every_form_it_is_written_in()
    {
        var binary = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: true);
        var json = new OrderActorsSerializer((ExtendedActorSystem)Sys, binaryOrders: false);
        foreach (var (version, types, samples) in new[]
                 {
                     (SamplesV2.Version, SamplesV2.PersistedTypes, SamplesV2.All), (SamplesV3.Version, SamplesV3.PersistedTypes, SamplesV3.All),
                     (SamplesV4.Version, SamplesV4.PersistedTypes, SamplesV4.All), (SamplesV5.Version, SamplesV5.PersistedTypes, SamplesV5.All),
                     (SamplesV6.Version, SamplesV6.PersistedTypes, SamplesV6.All), (SamplesV7.Version, SamplesV7.PersistedTypes, SamplesV7.All),
                     (SamplesV8.Version, SamplesV8.PersistedTypes, SamplesV8.All), (SamplesV9.Version, SamplesV9.PersistedTypes, SamplesV9.All),
                     (SamplesV10.Version, SamplesV10.PersistedTypes, SamplesV10.All), (SamplesV11.Version, SamplesV11.PersistedTypes, SamplesV11.All),
                 })
        {
            var entries = Index().Single(v => v.Version == version).Entries;
            foreach (var type in types)
            {
                var sample = samples.First(s => s.Message.GetType() == type).Message;
                foreach (var manifest in new[] { binary.Manifest(sample), json.Manifest(sample) }.Distinct())
                    Assert.True(entries.Any(e => e.Type == type.FullName && e.Manifest == manifest), $"no {version} fixture of {type.Name} under manifest '{manifest}'");
            }
        }
        // the delivery feature's stored types are all there (a new one needs a fixture of a new version)
        var persisted = typeof(DeliveryProtocol).GetNestedTypes().Where(t => t.Name is "OrdersDelivered" or "DeliverySnapshot" or "UnitDeliverySet"
            or "UnitDeliveryPaused" or "OrdersParked" or "ParkedRetried" or "ParkedArchived" or "ParkedDelivered" or "DeliveryReplayed"
            or "OrderStatusReported" or "OrdersDeliveredTogether" or "DeliveryAttemptFailed");
        Assert.Equal(persisted.OrderBy(t => t.Name),
            SamplesV2.PersistedTypes.Concat(SamplesV3.PersistedTypes).Concat(SamplesV4.PersistedTypes).Concat(SamplesV6.PersistedTypes)
                .Concat(SamplesV7.PersistedTypes).OrderBy(t => t.Name));
        // and the key store's (SamplesV5)
        Assert.Equal(typeof(OrderActors.Actors.Security.SecurityProtocol).GetNestedTypes().Where(t => t.Name is "KeyAdded" or "KeyRevoked" or "KeysSnapshot").OrderBy(t => t.Name),
            SamplesV5.PersistedTypes.OrderBy(t => t.Name));
        // and the routing tables' (SamplesV10)
        Assert.Equal(typeof(OrderActors.Actors.Routing.RouterProtocol).GetNestedTypes()
                .Where(t => t.Name is "RoutingDraftSet" or "RoutingVersionPublished" or "RoutingTablesSnapshot").OrderBy(t => t.Name),
            SamplesV10.PersistedTypes.OrderBy(t => t.Name));
    }

    [Fact]
    public void A_first_queue_restored_from_a_stored_snapshot_still_knows_every_order_it_accepted()
    {
        var snapshot = (IngestProtocol.IngestSnapshot)Read(SamplesV1.Version, "ingest-snapshot.isn.bin");
        var ledger = IngestLedger.FromState(snapshot.State, retainDelivered: 2);

        Assert.Equal((80L, 75L, 5, 80), (ledger.LastOffset, ledger.DeliveredUpTo, ledger.PendingCount, ledger.OrderCount));
        for (var offset = 1; offset <= 80; offset++)
        {
            var order = SamplesV1.Numbered(1, offset);
            // the id index of the stored bytes: a resend is a duplicate, other content under the id a conflict
            Assert.Equal(AdmitDecision.Duplicate, ledger.Decide(order.OrderId, order.Fingerprint, new Dictionary<string, string>()));
            Assert.Equal(AdmitDecision.Conflict, ledger.Decide(order.OrderId, new string('F', 32), new Dictionary<string, string>()));
            var (inMemory, inJournal) = ledger.Find(order.OrderId);
            if (offset >= 74) DeepEquality.AssertEqual(order, inMemory);
            else Assert.Equal(offset <= 30 ? 1 : offset <= 70 ? 2 : 4, inJournal); // the event that stored it
        }
        Assert.Equal(Enumerable.Range(76, 5).Select(i => SamplesV1.Numbered(1, i).OrderId), ledger.NextPending(100).Select(o => o.OrderId));

        var lists = (IngestProtocol.IngestSnapshot)Read(SamplesV1.Version, "ingest-snapshot-list-index.isn.bin");
        var old = IngestLedger.FromState(lists.State, TestData.RetainDelivered);
        Assert.Equal(AdmitDecision.Duplicate, old.Decide("o-1-002", SamplesV1.Numbered(1, 2).Fingerprint, new Dictionary<string, string>()));
        Assert.Equal(AdmitDecision.Accept, old.Decide("o-1-004", SamplesV1.Numbered(1, 4).Fingerprint, new Dictionary<string, string>()));
    }

    [Fact]
    public void A_unit_queue_restored_from_a_stored_snapshot_serves_its_feed_and_its_batch_in_progress()
    {
        foreach (var file in new[] { "unit-queue-snapshot.usn.b.bin", "unit-queue-snapshot.usn.bin" })
        {
            var snapshot = (UnitProtocol.UnitQueueSnapshot)Read(SamplesV1.Version, file);
            var ledger = UnitQueueLedger.FromState(snapshot.State, retainProcessed: 2);

            Assert.Equal((90L, 70L, (71L, 78L)), (ledger.LastSeq, ledger.ProcessedSeq, ledger.InProgress!.Value));
            Assert.Equal((60L, 30L), (ledger.RecordedUpTo(0), ledger.RecordedUpTo(2)));
            Assert.Empty(ledger.Admit([SamplesV1.Numbered(2, 30)], DateTimeOffset.UnixEpoch)); // recorded: a redelivery
            Assert.Single(ledger.Admit([SamplesV1.Numbered(2, 31)], DateTimeOffset.UnixEpoch));
            // an old entry is found in the journal event that recorded it: first queue 2's offsets 1-20 are event 2
            Assert.Equal(2, ledger.Find(2, 7).InJournal!.FromSequenceNr);
            var (page, inJournal) = ledger.Feed(0, 10);
            Assert.Equal(1, inJournal!.FromSequenceNr);
        }
    }

    private object Read(string version, string file)
    {
        var entry = Index().Single(v => v.Version == version).Entries.Single(e => e.File == file);
        return Sys.Serialization.Deserialize(File.ReadAllBytes(Path.Combine(Root, version, file)), entry.SerializerId, entry.Manifest);
    }
}
