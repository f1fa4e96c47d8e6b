using System.Net.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrderActors.Node.Http;
using OrderActors.Node.Security;

namespace OrderActors.Node.ApiDocs;

/// <summary>
/// The document's own parts: what it is, the key scheme (<c>Authorization: Bearer</c>: an API key or the admin token),
/// and the routes that are not minimal-API handlers (the health probes, <c>/metrics</c>).
/// </summary>
public sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string Scheme = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "OrderActors",
            Version = "v1",
            Description = "Takes orders from an order management system and forwards each to the business systems it routes to " +
                          "(docs/API.md is the contract). Errors are RFC 7807 problem+json naming the field and the reason.",
        };
        // every node serves the document at its own address, which is the server: the address it was fetched from
        // (as seen behind a proxy) is not one to write into it
        document.Servers = [];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key (oak_…, made by an admin: POST /api/admin/keys) or the node's admin token. " +
                          "Needed when auth is on (--admin-token, or a node listening beyond loopback).",
        };

        document.Paths ??= new OpenApiPaths();
        document.Paths["/healthz/live"] = Health("Liveness: the process and its actor system are up.");
        document.Paths["/healthz/ready"] = Health("Readiness: joined the cluster, the journal can be written, the catalog loaded, not leaving.");
        document.Paths["/metrics"] = new OpenApiPathItem
        {
            Operations = new Dictionary<HttpMethod, OpenApiOperation>
            {
                [HttpMethod.Get] = new()
                {
                    Summary = "The node's metrics in Prometheus text format (docs/watch.md)",
                    Tags = new HashSet<OpenApiTagReference> { new("telemetry", document) },
                    Security = [Requirement(document)],
                    Responses = new OpenApiResponses
                    {
                        ["200"] = new OpenApiResponse
                        {
                            Description = "Prometheus text exposition format 0.0.4",
                            Content = new Dictionary<string, OpenApiMediaType> { ["text/plain"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
                        },
                        ["401"] = Problem(document, "No key, or a key that is unknown or revoked (auth on)"),
                        ["403"] = Problem(document, "The key's role is not operator or admin"),
                    },
                },
            },
        };
        return Task.CompletedTask;
    }

    public static OpenApiSecurityRequirement Requirement(OpenApiDocument document) => new() { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] };

    public static OpenApiResponse Problem(OpenApiDocument document, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(Http.ProblemBody), document) },
        },
    };

    private static OpenApiPathItem Health(string summary) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Security = [new OpenApiSecurityRequirement()], // no key
                Tags = new HashSet<OpenApiTagReference> { new("health") },
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Healthy: {status, checks: [{name, status, description}]}" },
                    ["503"] = new OpenApiResponse { Description = "Not healthy: each check's description says why" },
                },
            },
        },
    };
}

/// <summary>Each operation's key: the need its endpoint declares (<see cref="ApiAuth.RequireAccess{TBuilder}"/>), as the scheme and in words.</summary>
public sealed class ApiOperations : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<RequestBodyShape>().LastOrDefault() is { } body)
        {
            var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = body.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
            };
        }
        foreach (var header in metadata.OfType<RequestHeaderShape>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name, In = ParameterLocation.Header, Required = false, Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement()]; // an empty requirement: no key
            return;
        }
        var policy = metadata.OfType<IAuthorizeData>().LastOrDefault(a => a.Policy is not null)?.Policy;
        if (policy is null || context.Document is null) return;
        operation.Security = [ApiDocument.Requirement(context.Document)];
        var need = policy.Replace("orderactors-", "", StringComparison.Ordinal);
        operation.Description = $"{operation.Description}{(operation.Description is null ? "" : "\n\n")}Needs, when auth is on, a key that may {need} (docs/API.md, \"Security\").".Trim();
    }
}
