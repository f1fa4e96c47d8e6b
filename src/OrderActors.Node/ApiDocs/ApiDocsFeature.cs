using Akka.Configuration;
using Microsoft.AspNetCore.OpenApi;
using OrderActors.Domain.Security;
using OrderActors.Node.Hosting;
using OrderActors.Node.Security;
using Scalar.AspNetCore;

namespace OrderActors.Node.ApiDocs;

/// <summary>
/// The API described for integrators: the OpenAPI document of every route at <c>/openapi/v1.json</c> (its request and
/// response shapes, the statuses each answers, the key it needs), rendered by Scalar at <c>/docs</c> from the node's
/// own assets (nothing from a CDN). Both need no key: they describe the API, they do not call it.
/// </summary>
public sealed class ApiDocsFeature : NodeFeature
{
    public const string DocumentPath = "/openapi/v1.json";

    public override void AddServices(IServiceCollection services, NodeOptions node, Config hocon, IConfiguration configuration) =>
        services.AddOpenApi("v1", options =>
        {
            options.AddDocumentTransformer<ApiDocument>();
            options.AddOperationTransformer<ApiOperations>();
        });

    public override void MapEndpoints(IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").RequireAccess(Need.Nothing).ExcludeFromDescription();
        app.MapScalarApiReference("/docs", scalar => scalar
                .WithTitle("OrderActors API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .RequireAccess(Need.Nothing).ExcludeFromDescription();
    }
}
