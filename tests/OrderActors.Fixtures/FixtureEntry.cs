namespace OrderActors.Fixtures;

/// <summary>One stored payload of a fixture folder's index: which sample it holds, and how it was written.</summary>
public sealed record FixtureEntry(string Sample, string Type, int SerializerId, string Manifest, string File);
