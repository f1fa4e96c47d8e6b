using System.Text.Json;

namespace OrderActors.Node.Http;

/// <summary>How the API writes JSON (docs/API.md): ASP.NET Core's web defaults, camelCase, timestamps as UTC with milliseconds.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new UtcTimestampConverter());
        return options;
    }
}
