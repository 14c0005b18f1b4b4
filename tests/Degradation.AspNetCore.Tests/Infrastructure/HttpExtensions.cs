using System.Net;
using System.Text;
using System.Text.Json;

namespace Degradation.Tests.Infrastructure;

public static class HttpExtensions
{
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body, string contentType = "application/json") =>
        client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    /// <summary>Asserts a 400 problem+json whose <c>errors</c> names <paramref name="field"/>; returns the field's messages.</summary>
    public static async Task<string> AssertValidationProblemAsync(this HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        Assert.Equal(400, root.GetProperty("status").GetInt32());
        Assert.True(root.GetProperty("errors").TryGetProperty(field, out var messages), $"The problem does not name '{field}': {text}");
        return string.Join(" ", messages.EnumerateArray().Select(m => m.GetString()));
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;

    public static bool IsNull(this JsonElement element, string name) => element.GetProperty(name).ValueKind == JsonValueKind.Null;
}
