using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MlWorkflow.Benchmarks.Remote;

/// <summary>
/// Counts the tracking API's requests and, when <c>rate</c> &gt; 0, faults that share of them with a seeded random: 503,
/// 429 with <c>Retry-After: 1</c>, a connection dropped before or after the request ran, or an answer slower than the
/// client's per-try timeout. (A minimal copy of the test project's fault middleware.)
/// </summary>
internal sealed class BenchmarkFaults(double rate, int seed, TimeSpan slowDelay)
{
    private readonly Random _random = new(seed);
    private int _requests;
    private int _faults;

    public int Requests => Volatile.Read(ref _requests);

    public int Faults => Volatile.Read(ref _faults);

    public void Install(IApplicationBuilder app) => app.Use(InvokeAsync);

    public void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _faults, 0);
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _requests);
        int kind;
        lock (_random)
        {
            kind = rate > 0 && _random.NextDouble() < rate ? 1 + _random.Next(5) : 0;
        }

        if (kind == 0)
        {
            await next(context);
            return;
        }

        Interlocked.Increment(ref _faults);
        switch (kind)
        {
            case 1:
                context.Response.StatusCode = 503;
                await context.Response.WriteAsync("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"injected\"}", Encoding.UTF8);
                return;
            case 2:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync("{\"error_code\": \"REQUEST_LIMIT_EXCEEDED\", \"message\": \"injected\"}", Encoding.UTF8);
                return;
            case 3:
                context.Abort();
                return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (kind == 4)
        {
            context.Abort();
            return;
        }

        try
        {
            await Task.Delay(slowDelay, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
