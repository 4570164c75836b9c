using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace MlWorkflow.Server.Tests.Faults;

/// <summary>
/// Test middleware that faults a set share of the tracking API's requests, chosen by a seeded random: 503s, 429s with
/// <c>Retry-After</c>, connections dropped before or after the request ran, and answers slower than the client's
/// per-try timeout. Installed with <see cref="TrackingServerOptions.ConfigurePipeline"/>, in front of the server's own middleware.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Random _random;
    private readonly double _rate;
    private readonly TimeSpan _slowDelay;
    private readonly Func<HttpContext, FaultKind?>? _choose;
    private readonly int[] _counts = new int[Enum.GetValues<FaultKind>().Length];
    private int _requests;
    private int _replays;

    public FaultInjector(double rate, int seed, TimeSpan slowDelay)
    {
        _rate = rate;
        _random = new Random(seed);
        _slowDelay = slowDelay;
    }

    /// <summary>An injector whose choice is made by <paramref name="choose"/> (null: no fault).</summary>
    public FaultInjector(Func<HttpContext, FaultKind?> choose, TimeSpan slowDelay)
        : this(0, 0, slowDelay)
    {
        _choose = choose;
    }

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers served from the server's idempotency cache (replays of applied requests).</summary>
    public int Replays => Volatile.Read(ref _replays);

    public int Count(FaultKind kind) => Volatile.Read(ref _counts[(int)kind]);

    public int Faults => Enum.GetValues<FaultKind>().Where(k => k != FaultKind.None).Sum(Count);

    public void Install(IApplicationBuilder app) => app.Use(InvokeAsync);

    private FaultKind Choose(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api/2.0", StringComparison.Ordinal))
        {
            return FaultKind.None;
        }

        if (_choose is not null)
        {
            return _choose(context) ?? FaultKind.None;
        }

        lock (_random)
        {
            return _random.NextDouble() < _rate ? (FaultKind)(1 + _random.Next(5)) : FaultKind.None;
        }
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _requests);
        var kind = Choose(context);
        Interlocked.Increment(ref _counts[(int)kind]);
        switch (kind)
        {
            case FaultKind.ServiceUnavailable:
                context.Response.StatusCode = 503;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"Injected fault\"}", Encoding.UTF8);
                return;
            case FaultKind.TooManyRequests:
                context.Response.StatusCode = 429;
                context.Response.Headers.RetryAfter = "1";
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"error_code\": \"REQUEST_LIMIT_EXCEEDED\", \"message\": \"Injected fault\"}", Encoding.UTF8);
                return;
            case FaultKind.DropBefore:
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

        if (context.Response.Headers.ContainsKey("Idempotent-Replayed"))
        {
            Interlocked.Increment(ref _replays);
        }

        if (kind == FaultKind.DropAfter)
        {
            context.Abort();
            return;
        }

        if (kind == FaultKind.SlowAfter)
        {
            try
            {
                await Task.Delay(_slowDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
