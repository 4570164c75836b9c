namespace MlWorkflow.Tracking.Stores.File;

/// <summary>
/// A writer lock of a file store: one writer at a time in this process (a semaphore) and across processes (an exclusive
/// OS lock on a lock file, released by the OS if the process dies). MLflow's own client takes no such lock, and never
/// reads the lock files.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly SemaphoreSlim _gate;
    private readonly FileStream _file;

    private StoreLock(SemaphoreSlim gate, FileStream file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>Waits for the in-process gate, then for the OS lock on <paramref name="lockFile"/> (up to 60 s of real time, backing off).</summary>
    /// <param name="gate">The in-process gate (one per store object).</param>
    /// <param name="lockFile">The lock file; its folder must exist.</param>
    /// <param name="what">What the lock guards, for the time-out message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<StoreLock> AcquireAsync(SemaphoreSlim gate, string lockFile, string what, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Real time, not the store's clock: a fake clock in tests must not stall the wait.
            var deadline = Environment.TickCount64 + (long)Patience.TotalMilliseconds;
            var delay = 2;
            while (true)
            {
                try
                {
                    return new StoreLock(gate, new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
                }
                catch (IOException) when (Environment.TickCount64 < deadline)
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = Math.Min(delay * 2, 50);
                }
                catch (IOException error)
                {
                    throw new MlflowException(ErrorCode.InternalError, $"Timed out after {Patience.TotalSeconds:0} s waiting for the {what} lock '{lockFile}' held by another process.", error);
                }
            }
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>Releases the OS lock, then the in-process gate.</summary>
    public void Dispose()
    {
        _file.Dispose();
        _gate.Release();
    }
}
