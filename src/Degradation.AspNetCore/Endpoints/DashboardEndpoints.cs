using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Degradation.AspNetCore.Endpoints;

/// <summary>
/// Serves the dashboard (HTML, CSS, JS embedded in this assembly) under the API prefix, so the page's
/// relative URLs (<c>status</c>, <c>events</c>, …) reach the API wherever the host mounts it. Strict
/// security headers: same-origin scripts and connections only, no framing, no sniffing.
/// </summary>
internal sealed class DashboardEndpoints
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly Asset _page = Asset.Load("index.html", "text/html; charset=utf-8");
    private readonly Asset _style = Asset.Load("dashboard.css", "text/css; charset=utf-8");
    private readonly Asset _script = Asset.Load("dashboard.js", "text/javascript; charset=utf-8");
    private readonly Asset _healthScript = Asset.Load("health-report.js", "text/javascript; charset=utf-8");
    private readonly Asset _healthStyle = Asset.Load("health-report.css", "text/css; charset=utf-8");
    private readonly Asset _scopeTreeScript = Asset.Load("scope-tree.js", "text/javascript; charset=utf-8");

    public Task PageAsync(HttpContext context)
    {
        var request = context.Request;
        // The page's relative URLs need the trailing slash: /degradation → /degradation/.
        if (request.Path.Value is { } path && !path.EndsWith('/'))
        {
            context.Response.Redirect(request.PathBase + path + "/" + request.QueryString, permanent: false);
            return Task.CompletedTask;
        }
        return _page.WriteAsync(context);
    }

    public Task StyleAsync(HttpContext context) => _style.WriteAsync(context);

    public Task ScriptAsync(HttpContext context) => _script.WriteAsync(context);

    public Task HealthReportScriptAsync(HttpContext context) => _healthScript.WriteAsync(context);

    public Task HealthReportStyleAsync(HttpContext context) => _healthStyle.WriteAsync(context);

    public Task ScopeTreeScriptAsync(HttpContext context) => _scopeTreeScript.WriteAsync(context);

    private sealed class Asset(byte[] content, string contentType, string etag)
    {
        public static Asset Load(string name, string contentType)
        {
            var resource = "Degradation.AspNetCore.Dashboard." + name;
            using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The dashboard resource '{resource}' is missing from {typeof(DashboardEndpoints).Assembly.GetName().Name}.");
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            return new Asset(bytes, contentType, "\"" + Convert.ToHexString(SHA256.HashData(bytes), 0, 16) + "\"");
        }

        public Task WriteAsync(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ETag = etag;
            headers.CacheControl = "no-cache";
            headers.XContentTypeOptions = "nosniff";
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }
            context.Response.ContentType = contentType;
            context.Response.ContentLength = content.Length;
            return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
        }
    }
}
