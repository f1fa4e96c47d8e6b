using OrderActors.Actors;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using OrderActors.Actors.Serialization;
using OrderActors.Fixtures;

// Writes golden fixtures; see tests/fixtures/README.md.
//   messages DIR          every sample of the newest version (SamplesV11) as the serializer of this build writes it, each form it has
//   datadir NODE_DLL DIR  a small SQLite data dir written by the node NODE_DLL from the script its folder names (.../v2: DataDirScriptV2)
if (args.Length < 2 || args[0] is not ("messages" or "datadir"))
{
    Console.Error.WriteLine("usage: OrderActors.Fixtures messages DIR | datadir NODE_DLL DIR");
    return 2;
}
var dir = Path.GetFullPath(args[^1]);
if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
{
    Console.Error.WriteLine($"{dir} is not empty: fixtures of a version are never rewritten (add a new version instead)");
    return 2;
}
Directory.CreateDirectory(dir);
if (args[0] == "datadir") return await DataDirWriter.WriteAsync(args[1], dir, Path.GetFileName(dir)); // the folder names the script: v1, v2

using var system = ActorSystem.Create("fixtures", ConfigurationFactory.ParseString("akka.loglevel = WARNING"));
var extended = (ExtendedActorSystem)system;
var binary = new OrderActorsSerializer(extended, binaryOrders: true);
var json = new OrderActorsSerializer(extended, binaryOrders: false);
var index = new List<FixtureEntry>();
foreach (var (name, message) in SamplesV11.All)
{
    foreach (var serializer in new[] { binary, json })
    {
        var manifest = serializer.Manifest(message);
        if (index.Any(e => e.Sample == name && e.Manifest == manifest)) continue; // one form only
        var file = $"{name}.{manifest}.bin";
        File.WriteAllBytes(Path.Combine(dir, file), serializer.ToBinary(message));
        index.Add(new FixtureEntry(name, message.GetType().FullName!, OrderActorsSerializer.SerializerId, manifest, file));
    }
}
File.WriteAllText(Path.Combine(dir, "index.json"), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }) + "\n");
Console.WriteLine($"{index.Count} fixtures written to {dir}");
return 0;
