using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using MlWorkflow.Benchmarks.Harness;

namespace MlWorkflow.Benchmarks.Reliability;

/// <summary>
/// A burst of hostile requests against a tracking server process on 127.0.0.1: huge tokens, ids and filters (four at once),
/// malformed and mistyped bodies, file-system-hostile keys and artifact names, foreign Host headers, unique idempotency keys,
/// and fuzzed filters. Counts the answers of 500 and above, the largest answer, and the server's resident set afterwards.
/// </summary>
internal static class HostileRequests
{
    private const int FuzzedFilters = 500;
    private const int UniqueIdempotencyKeys = 300;

    public static async Task RunAsync(FigureReport report, CancellationToken cancellationToken)
    {
        var root = Path.Combine(report.WorkDirectory, "hostile");
        var port = ReliabilitySuite.FreePort();
        using var server = await ReliabilitySuite.StartServerAsync(root, port, cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(2) };
            var counts = new Counts();
            var experimentId = await CreateAsync(http, "api/2.0/mlflow/experiments/create", """{"name":"hostile"}""", "experiment_id", cancellationToken);
            var runId = await CreateAsync(http, "api/2.0/mlflow/runs/create", $$"""{"experiment_id":"{{experimentId}}"}""", "run_id", cancellationToken);
            FigureReport.Note("  hostile: huge inputs, malformed bodies, hostile names, foreign hosts, unique idempotency keys, fuzzed filters");

            // Four 30 MB inputs at once, each kind once more after.
            var huge = new string('x', 30 * 1024 * 1024);
            var hugeBodies = new[]
            {
                ("api/2.0/mlflow/runs/search", $$"""{"experiment_ids":["{{experimentId}}"],"page_token":"{{huge}}"}"""),
                ("api/2.0/mlflow/runs/search", $$"""{"experiment_ids":["{{experimentId}}"],"filter":"metrics.{{huge}} <"}"""),
                ("api/2.0/mlflow/runs/update", $$"""{"run_id":"{{huge}}","status":"FINISHED"}"""),
                ("api/2.0/mlflow/runs/log-batch", $$"""{"run_id":"{{huge}}","metrics":[]}"""),
            };
            await Task.WhenAll(hugeBodies.Select(b => counts.SendAsync(http, HttpMethod.Post, b.Item1, b.Item2, cancellationToken)));
            await Task.WhenAll(hugeBodies.Select(b => counts.SendAsync(http, HttpMethod.Post, b.Item1, b.Item2, cancellationToken)));
            huge = null;

            // Malformed and mistyped bodies.
            string[] malformed = ["{", "[]", "null", "{\"name\":12}", "{\"name\":{\"a\":1}}", "{\"name\":\"\\ud800\"}", new string('[', 10_000)];
            foreach (var body in malformed)
            {
                await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/experiments/create", body, cancellationToken);
                await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", body, cancellationToken);
            }

            // Keys and names the file system cannot hold, or that collide with what is there.
            var longKey = new string('é', 130);
            await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"loss","value":1,"timestamp":1,"step":0},{"key":"{{longKey}}","value":1,"timestamp":1,"step":0}]}""", cancellationToken);
            await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/log-parameter", $$"""{"run_id":"{{runId}}","key":"{{longKey}}","value":"v"}""", cancellationToken);
            await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"a","value":1,"timestamp":1,"step":0}]}""", cancellationToken);
            await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", $$"""{"run_id":"{{runId}}","metrics":[{"key":"first","value":1,"timestamp":1,"step":0},{"key":"a/b","value":1,"timestamp":1,"step":0}],"params":[{"key":"p","value":"v"}]}""", cancellationToken);
            await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/experiments/delete", """{"experiment_id":"0"}""", cancellationToken);
            var artifacts = $"api/2.0/mlflow-artifacts/artifacts/{experimentId}/{runId}/artifacts/";
            for (var length = 215; length <= 260; length += 5)
            {
                await counts.SendAsync(http, HttpMethod.Put, artifacts + new string('a', length), "x", cancellationToken);
            }

            await counts.SendAsync(http, HttpMethod.Put, artifacts + "f.txt", "x", cancellationToken);
            await counts.SendAsync(http, HttpMethod.Put, artifacts + "f.txt/child", "x", cancellationToken);
            foreach (var path in new[] { "../../../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "a/%00/b" })
            {
                await counts.SendAsync(http, HttpMethod.Put, artifacts + path, "x", cancellationToken);
                await counts.SendAsync(http, HttpMethod.Get, "api/2.0/mlflow-artifacts/artifacts/" + path, null, cancellationToken);
            }

            // A page on another origin driving the server through DNS rebinding.
            foreach (var host in new[] { "evil.example", "127.0.0.1.evil.example", "attacker:80" })
            {
                await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/experiments/delete", $$"""{"experiment_id":"{{experimentId}}"}""", cancellationToken, host: host);
            }

            // Unique idempotency keys on reads and on 256 KB writes: the server's cache must stay bounded.
            var bigBatch = new StringBuilder($$"""{"run_id":"{{runId}}","tags":[""");
            for (var i = 0; i < 40; i++)
            {
                bigBatch.Append(i == 0 ? string.Empty : ",").Append($$"""{"key":"t{{i}}","value":"{{new string('v', 6_000)}}"}""");
            }

            var bigBatchBody = bigBatch.Append("]}").ToString();
            for (var i = 0; i < UniqueIdempotencyKeys; i++)
            {
                await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/search", $$"""{"experiment_ids":["{{experimentId}}"]}""", cancellationToken, idempotencyKey: Guid.NewGuid().ToString());
                await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/log-batch", bigBatchBody, cancellationToken, idempotencyKey: Guid.NewGuid().ToString());
            }

            // Fuzzed filters: random splices of the grammar's pieces and garbage.
            var random = new Random(10);
            string[] pieces = ["metrics.", "params.", "tags.", "attributes.", "`", "\"", "'", " = ", " != ", " LIKE ", " ILIKE ", " IN ", " AND ", " OR ", "(", ")", ",", "1e309", "-", "NaN", "run_id", "status", "%", "\\", "é", "\0", "99999999999999999999", " "];
            for (var i = 0; i < FuzzedFilters; i++)
            {
                var filter = new StringBuilder();
                for (var n = random.Next(1, 12); n > 0; n--)
                {
                    filter.Append(pieces[random.Next(pieces.Length)]);
                }

                var json = System.Text.Json.JsonSerializer.Serialize(filter.ToString());
                await counts.SendAsync(http, HttpMethod.Post, "api/2.0/mlflow/runs/search", $$"""{"experiment_ids":["{{experimentId}}"],"filter":{{json}}}""", cancellationToken);
            }

            server.Refresh();
            report.Add("hostile_requests", counts.Requests);
            report.Add("hostile_5xx", counts.ServerErrors);
            report.Add("hostile_max_response_bytes", counts.MaxResponseBytes);
            report.Add("hostile_answers_naming_server_paths", counts.PathLeaks);
            report.Add("server_rss_mb_after_hostile", ResidentMegabytes(server));
            report.Add("server_rss_mb_bound", ReliabilitySuite.ServerRssBoundMb);
        }
        finally
        {
            server.Kill();
            await server.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task<string> CreateAsync(HttpClient http, string path, string body, string field, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);
        response.EnsureSuccessStatusCode();
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.TryGetProperty(field, out var id) ? id.GetString()! : json.RootElement.GetProperty("run").GetProperty("info").GetProperty(field).GetString()!;
    }

    /// <summary>The process's resident set in MB, from /proc (Linux); the working set elsewhere.</summary>
    private static double ResidentMegabytes(Process process)
    {
        var status = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/status";
        if (File.Exists(status))
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null)
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private sealed class Counts
    {
        private int _requests;
        private int _serverErrors;
        private int _pathLeaks;
        private long _maxResponseBytes;

        public int Requests => _requests;

        public int ServerErrors => _serverErrors;

        public int PathLeaks => _pathLeaks;

        public long MaxResponseBytes => _maxResponseBytes;

        public async Task SendAsync(HttpClient http, HttpMethod method, string path, string? body, CancellationToken cancellationToken, string? host = null, string? idempotencyKey = null)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (host is not null)
            {
                request.Headers.Host = host;
            }

            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            Interlocked.Increment(ref _requests);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref _serverErrors);
                    FigureReport.Note($"    {(int)response.StatusCode} for {method} {Excerpt(path)}: {Excerpt(Encoding.UTF8.GetString(answer))}");
                }

                var text = Encoding.UTF8.GetString(answer);
                if (text.Contains(Path.GetTempPath().TrimEnd('/'), StringComparison.Ordinal) || text.Contains("MlWorkflow.", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _pathLeaks);
                    FigureReport.Note($"    a server path or type name in the answer to {method} {Excerpt(path)}: {Excerpt(text)}");
                }

                InterlockedMax(ref _maxResponseBytes, answer.LongLength);
            }
            catch (HttpRequestException error)
            {
                // A dropped connection is no answer at all: count it with the server errors.
                Interlocked.Increment(ref _serverErrors);
                FigureReport.Note($"    no answer for {method} {Excerpt(path)}: {error.Message}");
            }
        }

        private static string Excerpt(string text) => text.Length <= 120 ? text : text[..120] + "…";

        private static void InterlockedMax(ref long target, long value)
        {
            long current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }
}
