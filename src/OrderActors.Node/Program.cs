using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using OrderActors.Actors.Ingest;
using OrderActors.Node.Admin;
using OrderActors.Node.ApiDocs;
using OrderActors.Node.Catalog;
using OrderActors.Node.Delivery;
using OrderActors.Node.Health;
using OrderActors.Node.Hosting;
using OrderActors.Node.Http;
using OrderActors.Node.Inventory;
using OrderActors.Node.Ingest;
using OrderActors.Node.Routing;
using OrderActors.Node.Security;
using OrderActors.Node.Telemetry;
using OrderActors.Node.Units;

NativeMemory.LimitMallocArenas(); // first, before the threads that would each take an arena
var normalizedArgs = NodeOptions.NormalizeArgs(args);
// No configuration reload: the node reads its options once, and a reloading host watches its content root (the
// working directory) recursively, where by default the data dir is: every journal write would wake a watcher thread.
var builder = WebApplication.CreateBuilder([.. normalizedArgs, "--hostBuilder:reloadConfigOnChange=false"]);
builder.Configuration.AddEnvironmentVariables("ORDERACTORS_");
builder.Configuration.AddCommandLine(normalizedArgs);

// The node's features, each named once, in the order their actors are added (upstream last: each one's actors find
// those it sends to already registered); their middleware runs in this order too (auth before the journal gate).
NodeFeature[] features =
[
    new SecurityFeature(), new HealthFeature(), new CatalogFeature(), new DeliveryFeature(), new InventoryFeature(), new UnitsFeature(),
    new OrderRoutingFeature(), new IngestFeature(), new AdminFeature(), new TelemetryFeature(), new ApiDocsFeature(),
];

NodeOptions options;
ClusterTlsOptions? clusterTls;
DataDirLock? dataDirLock; // held until the process ends
try
{
    options = NodeOptions.From(builder.Configuration);
    var hocon = NodeAkkaSetup.LoadConfig(options);
    clusterTls = ClusterTlsOptions.From(builder.Configuration, options);
    builder.Services.AddSingleton(options).AddSingleton(ApiOptions.From(hocon));
    // every option is read before the data dir is touched: a wrong one stops the node before anything is opened
    foreach (var feature in features) feature.AddServices(builder.Services, options, hocon, builder.Configuration);
    dataDirLock = NodeAkkaSetup.CheckDataDir(options);
    builder.Services.AddOrderActorsNode(options, clusterTls, hocon, (akka, services) =>
    {
        foreach (var feature in features) feature.AddActors(akka, services);
    });
}
catch (Exception e) when (e is OptionsException or Akka.Configuration.ConfigurationException or ArgumentException or IOException
                               or Microsoft.Data.Sqlite.SqliteException)
{
    Console.Error.WriteLine($"orderactors: {e.Message}");
    return 2;
}

builder.WebHost.UseUrls(options.Urls);
builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(40));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = null; // limits are per endpoint (JsonBody)
    RequestLimits.ConfigureServer(kestrel);
});
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
// An unhealthy readiness probe is an answer, not an error: don't log every probe while the node starts.
builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
builder.Services.Configure<JsonOptions>(json => ApiJson.Configure(json.SerializerOptions));
builder.Services.AddSingleton<GracefulLeave>().AddHostedService(sp => sp.GetRequiredService<GracefulLeave>());

// a route or query parameter of the wrong form throws, so that the handler below answers 400 naming it
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandler = async context =>
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (context.RequestAborted.IsCancellationRequested)
        {
            // the caller went away mid-request (closed the connection): nobody to answer, and not an error of the node
            app.Logger.LogInformation("{Method} {Path}: the client aborted the request", context.Request.Method, context.Request.Path);
            return;
        }
        var problem = error is BadHttpRequestException bad
            ? Problems.ForBadRequest(bad)
            : Problems.Body(500, "The node failed to answer; the error is in its log.");
        context.Response.StatusCode = problem.Status;
        await context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, Problems.ContentType);
    },
    // a caller's bad request (a query parameter of the wrong form) is an answer, not an error of the node
    SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException || context.HttpContext.RequestAborted.IsCancellationRequested,
});
app.UseRequestLimits();
// Every 4xx and 5xx is problem+json: a status set without a body gets one here.
app.UseStatusCodePages(async pages =>
{
    var status = pages.HttpContext.Response.StatusCode;
    await Problems.Result(status, status switch
    {
        404 => "Nothing is here: see docs/API.md for the routes.",
        405 => "This route does not take that method: see docs/API.md.",
        _ => "The request was refused.",
    }).ExecuteAsync(pages.HttpContext);
});

// Graceful leave: from SIGTERM on (or from the cluster downing this node), intake answers 503 with Retry-After
// (send to another node) while CoordinatedShutdown hands the shards off, leaves the cluster and the process exits
// (0, or 3 when downed).
var stopping = app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
app.Use(async (context, next) =>
{
    if (stopping.IsCancellationRequested && HttpMethods.IsPost(context.Request.Method)
        && context.Request.Path.StartsWithSegments("/api/orders"))
    {
        await Problems.Unavailable(context, "This node is shutting down; send the order to another node.", 5).ExecuteAsync(context);
        return;
    }
    await next(context);
});

foreach (var feature in features) feature.UseMiddleware(app);
foreach (var feature in features) feature.MapEndpoints(app);
if (options.PrintRoutes)
{
    foreach (var route in RouteAccess.Of(((IEndpointRouteBuilder)app).DataSources))
        Console.WriteLine($"{route.Methods,-7} {route.Pattern,-52} {route.Access}");
    dataDirLock?.Dispose();
    return 0;
}

var ingest = app.Services.GetRequiredService<IngestOptions>();
app.Logger.LogInformation(
    "OrderActors node: HTTP {Urls}, journal {Journal} ({Where}), cluster {Host}:{Port}, {Queues} first queues, batch window {Window}{Hocon}",
    options.Urls, options.Journal,
    options.Journal == "sqlite" ? $"{Path.GetFullPath(options.DataDir)}, synchronous={options.SqliteSynchronous}" : "PostgreSQL",
    options.ClusterHost, options.ClusterPort, ingest.Queues,
    ingest.BatchWindow == TimeSpan.Zero ? "adaptive (group commit)" : $"{ingest.BatchWindow.TotalMilliseconds} ms",
    options.HoconFile is { } hoconFile ? $", HOCON overrides from {Path.GetFullPath(hoconFile)}" : "");
if (!options.AuthRequired)
    app.Logger.LogWarning(options.ListensBeyondLoopback
        ? "Auth is off (--insecure-no-auth): anyone who reaches {Urls} may post and read orders and change the catalog"
        : "Auth is off: the node listens on loopback only ({Urls}), so only callers on this machine reach it; " +
          "give --admin-token to require API keys (docs/security.md)", options.Urls);
else app.Logger.LogInformation("Auth is on: every route but /healthz needs an API key or the admin token (docs/security.md)");
if (clusterTls is not null)
    app.Logger.LogInformation("Cluster link: TLS with mutual authentication, certificate {Subject} ({File}); peers admitted by {Authorities}",
        clusterTls.Certificate.Subject, clusterTls.CertificateFile, string.Join(", ", clusterTls.Authorities.Select(a => a.Subject)));
else if (!NodeOptions.IsLoopback(options.ClusterHost))
    app.Logger.LogWarning("Cluster link is plain TCP on {Host}:{Port}: anyone who reaches that port can join the cluster; " +
                          "give --cluster-tls-cert and --cluster-tls-ca (docs/security.md) or firewall it", options.ClusterHost, options.ClusterPort);

var leave = app.Services.GetRequiredService<GracefulLeave>(); // the services are disposed once the host has run
using (dataDirLock) await app.RunAsync();
if (leave.Downed)
{
    app.Logger.LogError("This node was downed by the cluster (the split brain resolver, or an operator) and has stopped; " +
                        "exit {Code}, so that its supervisor starts it again and it joins as a new member", GracefulLeave.DownedExitCode);
    return GracefulLeave.DownedExitCode;
}
return 0;
