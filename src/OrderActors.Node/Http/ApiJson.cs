using System.Text.Json;
using OrderActors.Domain.Orders;

namespace OrderActors.Node.Http;

/// <summary>How the API writes JSON (docs/API.md): ASP.NET Core's web defaults, camelCase, timestamps as UTC with milliseconds.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // what ASP.NET Core's minimal APIs write by default, said here so that every writer of the API agrees:
        // text as it is (an apostrophe stays one), only what JSON itself requires escaped
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }
}
