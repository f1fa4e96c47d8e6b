using Akka.Actor;
using Akka.DependencyInjection;
using Akka.Dispatch;
using Akka.Event;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace OrderActors.Node.Telemetry;

/// <summary>
/// Akka's log lines as the host's structured logging, for <c>--log-format json</c>: the message without Akka's own
/// prefix, the actor's path, and for a sharded entity its region and entity and, for a queue, its unit and queue
/// number as fields of the line (so that a log store can find every line of <c>erp-2</c>).
/// </summary>
public sealed class StructuredAkkaLogger : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _loggers;

    public StructuredAkkaLogger()
    {
        _loggers = DependencyResolver.For(Context.System).Resolver.GetService<ILoggerFactory>();
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(Log);
    }

    private void Log(LogEvent e)
    {
        var logger = _loggers.CreateLogger(e.LogClass?.FullName ?? "Akka");
        var level = e.LogLevel() switch
        {
            Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
            Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
            Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        if (!logger.IsEnabled(level)) return;
        using var scope = logger.BeginScope(ActorFields.Of(e.LogSource));
        logger.Log(level, default, e.Message?.ToString() ?? "", e.Cause, static (message, _) => message);
    }
}

/// <summary>The fields of an actor's path: the path, and for a sharded entity its region, entity, unit and queue.</summary>
public static class ActorFields
{
    private const string Sharding = "/system/sharding/";

    public static Fields Of(string? path)
    {
        var fields = new Fields(path ?? "");
        if (string.IsNullOrEmpty(path)) return fields;
        fields["ActorPath"] = path;
        var at = path.IndexOf(Sharding, StringComparison.Ordinal);
        if (at < 0) return fields;
        var parts = path[(at + Sharding.Length)..].Split('/');
        if (parts.Length < 3) return fields;
        var (region, entity) = (parts[0], Uri.UnescapeDataString(parts[2]));
        fields["Region"] = region;
        fields["Entity"] = entity;
        var dash = entity.LastIndexOf('-');
        if (dash > 0 && int.TryParse(entity.AsSpan(dash + 1), out var queue))
        {
            if (region != "ingest") fields["Unit"] = entity[..dash];
            fields["Queue"] = queue;
        }
        return fields;
    }
}

/// <summary>A log scope's fields; written as themselves, and as the actor's path where a scope is shown as text.</summary>
public sealed class Fields(string path) : List<KeyValuePair<string, object>>
{
    public object this[string key]
    {
        set => Add(new KeyValuePair<string, object>(key, value));
    }

    public override string ToString() => path;
}
