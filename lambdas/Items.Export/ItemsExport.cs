using System.Buffers;
using System.Text.Json;
using Functions.Data;
using Functions.Errors;
using Functions.Http;
using Functions.Items;
using Functions.Json;
using Functions.Runtime;

namespace Functions.Lambdas;

/// <summary>
/// GET on its function URL -> 200 application/x-ndjson: every item, one JSON line each, each page of the table written
/// and sent as soon as it is read. The first lines are out while later pages are still to be read, however many items
/// there are (a buffered answer stops at 6 MB), and the function holds one page at a time. The URL takes SigV4-signed
/// requests (AWS_IAM): an export of the whole table is for scripts with credentials, not for any browser. Each page read
/// is logged, so a long export shows its progress in the function's log.
/// </summary>
public static class ItemsExport
{
    [FunctionUrl(InvokeMode = FunctionUrlInvokeMode.ResponseStream)]
    [UsesTable("Items", TableAccess.Scan)]
    [FunctionSettings(TimeoutSeconds = 300)]
    public static async Task Export(HttpApiRequest request, HttpResponseStream response, ItemsStore items, InvocationContext context, CancellationToken cancellationToken)
    {
        if (request.RequestContext?.Http?.Method is not ("GET" or "HEAD"))
        {
            throw ApiError.MethodNotAllowed($"The export is read with GET, not {request.RequestContext?.Http?.Method ?? "(no method)"}.");
        }
        response.Headers["content-type"] = "application/x-ndjson";
        var lines = new ArrayBufferWriter<byte>(256 * 1024);
        var (pages, exported) = (0, 0L);
        await foreach (var page in items.PagesAsync(cancellationToken))
        {
            exported += page.Count;
            context.Logger.Info($"Page {++pages} read: {page.Count} items, {exported} so far.");
            using (var json = new Utf8JsonWriter(lines, WireJson.WriterOptions))
            {
                foreach (var item in page)
                {
                    JsonSerializer.Serialize(json, item, ItemsJson.Wire.Item);
                    json.Flush();
                    lines.Write("\n"u8);
                    json.Reset();
                }
            }
            if (lines.WrittenCount > 0)
            {
                await response.WriteAsync(lines.WrittenMemory, cancellationToken);
                lines.ResetWrittenCount();
            }
        }
        context.Logger.Info($"Exported {exported} items in {pages} pages.");
    }
}
