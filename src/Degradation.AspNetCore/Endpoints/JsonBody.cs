using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// Reads a write's JSON body with a hard size limit and turns every failure into an answer naming the field:
/// wrong content type (415, which also keeps cross-site HTML forms out), oversized or malformed body, a repeated
/// key, or text carrying control or bidirectional override characters (400, see <see cref="JsonBodyInspector"/>).
/// </summary>
internal static class JsonBody
{
    private const int ChunkSize = 4096;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, int maxBytes)
        where T : class
    {
        var request = context.Request;
        if (!request.HasJsonContentType()) return (null, Problems.UnsupportedMediaType(request.ContentType));
        if (request.ContentLength is { } declared && declared > maxBytes) return (null, TooLarge(maxBytes, declared));

        var buffer = new byte[(int)Math.Min(request.ContentLength ?? ChunkSize, maxBytes) + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes) return (null, TooLarge(maxBytes, null));
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
            if (length > maxBytes) return (null, TooLarge(maxBytes, null));
        }
        if (length == 0) return (null, Problems.Validation("body", "A JSON object body is required."));

        var inspected = new FieldErrors();
        if (JsonBodyInspector.Inspect(buffer.AsSpan(0, length), inspected) && inspected.Any) return (null, Problems.Validation(inspected));

        try
        {
            var value = JsonSerializer.Deserialize(buffer.AsSpan(0, length), typeInfo);
            return value is null ? (null, Problems.Validation("body", "A JSON object body is required (was null).")) : (value, null);
        }
        catch (JsonException error)
        {
            return (null, Problems.Validation(FieldOf(error.Path), Describe(error)));
        }
    }

    private static IResult TooLarge(int maxBytes, long? declared) =>
        Problems.Validation("body", declared is { } d
            ? $"The request body is {d.ToString(CultureInfo.InvariantCulture)} bytes; at most {maxBytes.ToString(CultureInfo.InvariantCulture)} are accepted."
            : $"The request body exceeds {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes.");

    /// <summary>"$.ttl_seconds" → "ttl_seconds"; the root → "body".</summary>
    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
    }

    private static string Describe(JsonException error)
    {
        var where = error.LineNumber is { } line
            ? $" (line {(line + 1).ToString(CultureInfo.InvariantCulture)}, byte {(error.BytePositionInLine ?? 0).ToString(CultureInfo.InvariantCulture)})"
            : "";
        return FieldOf(error.Path) == "body"
            ? "The body is not a valid JSON object" + where + "."
            : $"'{FieldOf(error.Path)}' is malformed or has the wrong JSON type{where}.";
    }
}
