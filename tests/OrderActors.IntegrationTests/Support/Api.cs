using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderActors.IntegrationTests.Support;

public sealed record Reply(HttpStatusCode Status, string? ContentType, JsonNode? Body, HttpResponseMessage Response)
{
    public int Code => (int)Status;
    public override string ToString() => $"{Code} {Body?.ToJsonString()}";
}

/// <summary>Plain HTTP calls as an OMS or an integration would make them.</summary>
public static class Api
{
    public static async Task<Reply> PostAsync(this HttpClient http, string path, string body, string contentType = "application/json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await Read(await http.PostAsync(path, content));
    }

    /// <summary>Posts a body without Content-Length (chunked transfer encoding), as streaming clients do.</summary>
    public static async Task<Reply> PostChunkedAsync(this HttpClient http, string path, string body)
    {
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return await Read(await http.PostAsync(path, content));
    }

    /// <summary>A readable stream that does not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    public static async Task<Reply> PutAsync(this HttpClient http, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Read(await http.PutAsync(path, content));
    }

    public static Task<Reply> PostJsonAsync(this HttpClient http, string path, object body) =>
        http.PostAsync(path, JsonSerializer.Serialize(body));

    public static async Task<Reply> GetJsonAsync(this HttpClient http, string path) => await Read(await http.GetAsync(path));

    private static async Task<Reply> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        if (text.Length > 0)
        {
            try { body = JsonNode.Parse(text); }
            catch (JsonException) { body = JsonValue.Create(text); }
        }
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response);
    }
}
