using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MlWorkflow.Tracking.Artifacts;

namespace MlWorkflow.Tracking.Tests.Artifacts;

/// <summary>The repositories a factory creates log to its logger factory: a client's, a server's (issue 18 review).</summary>
public sealed class ArtifactRepositoryLoggingTests
{
    [Test]
    public async Task A_client_created_with_a_logger_factory_logs_its_local_artifact_writes()
    {
        using var temp = new TemporaryDirectory();
        var loggers = new CapturingLoggerFactory();
        using var client = MlflowClient.Create(temp.Combine("mlruns"), new MlflowClientOptions { LoggerFactory = loggers });

        await using (var run = await client.StartRunAsync("logged"))
        {
            await run.LogTextAsync("notes/a.txt", "hello");
        }

        var records = loggers.Records.Where(r => r.Category == typeof(LocalArtifactRepository).FullName).ToList();
        Assert.That(records.Select(r => r.Level), Has.All.EqualTo(LogLevel.Debug));
        Assert.That(records.Select(r => r.Message), Has.Some.StartsWith("Wrote 5 bytes to file://").And.Contains(" / notes/a.txt in "));
    }

    [Test]
    public async Task A_factory_gives_its_logger_factory_to_repositories_registered_to_take_one_and_a_clone_can_swap_it()
    {
        using var temp = new TemporaryDirectory();
        var first = new CapturingLoggerFactory();
        var second = new CapturingLoggerFactory();
        var factory = new ArtifactRepositoryFactory(first).Register("mem", (uri, loggers) => new LocalArtifactRepository(temp.Combine("mem"), loggers));
        var swapped = factory.Clone(second);

        await factory.Create("mem://x").WriteAsync("a.txt", new MemoryStream([1, 2, 3]));
        await swapped.Create("mem://x").WriteAsync("b.txt", new MemoryStream([1, 2]));

        Assert.Multiple(() =>
        {
            Assert.That(factory.LoggerFactory, Is.SameAs(first));
            Assert.That(factory.Clone().LoggerFactory, Is.SameAs(first), "a plain clone keeps the logger factory");
            Assert.That(first.Records.Select(r => r.Message), Has.One.Contains("Wrote 3 bytes").And.Contains(" / a.txt in "));
            Assert.That(second.Records.Select(r => r.Message), Has.One.Contains("Wrote 2 bytes").And.Contains(" / b.txt in "));
            Assert.That(first.Records.Select(r => r.Message), Has.None.Contains("b.txt"), "the clone's writes go to its own logger factory only");
        });
    }

    [Test]
    public async Task A_write_that_fails_on_the_file_system_is_logged_as_a_warning()
    {
        using var temp = new TemporaryDirectory();
        var loggers = new CapturingLoggerFactory();
        var repository = new LocalArtifactRepository(temp.Path, loggers);

        await Assert.ThrowsAsync<IOException>(() => repository.WriteAsync("a.txt", new FailingStream()));

        Assert.That(loggers.Records.Select(r => (r.Level, r.Message)), Has.Some.Matches<(LogLevel Level, string Message)>(r => r.Level == LogLevel.Warning && r.Message.EndsWith(" / a.txt failed.", StringComparison.Ordinal)));
    }

    [Test]
    public async Task A_deletion_is_logged_as_information_and_a_missing_path_logs_nothing()
    {
        using var temp = new TemporaryDirectory();
        var loggers = new CapturingLoggerFactory();
        var repository = new LocalArtifactRepository(temp.Path, loggers);
        await repository.WriteAsync("model/MLmodel", new MemoryStream([1]));

        await repository.DeleteAsync("model");
        await repository.DeleteAsync("never-there");

        var deletions = loggers.Records.Where(r => r.Message.StartsWith("Deleted ", StringComparison.Ordinal)).ToList();
        Assert.That(deletions, Has.Count.EqualTo(1));
        Assert.That(deletions[0].Level, Is.EqualTo(LogLevel.Information));
        Assert.That(deletions[0].Message, Does.EndWith(" / model."));
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("the disk went away");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => throw new IOException("the disk went away");

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("the disk went away");
    }

    /// <summary>A logger factory that keeps every record (category, level, message).</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly ConcurrentQueue<(string Category, LogLevel Level, string Message)> _records = new();

        public IReadOnlyList<(string Category, LogLevel Level, string Message)> Records => [.. _records];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, LogLevel, string)> records) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                records.Enqueue((category, logLevel, formatter(state, exception)));
        }
    }
}
