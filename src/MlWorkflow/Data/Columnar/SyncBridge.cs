namespace MlWorkflow.Data.Columnar;

/// <summary>Where ML.NET's synchronous cursor (<c>MoveNext</c>) meets an async-only format library. Files are opened without
/// async I/O, so these operations complete synchronously in practice and no thread-pool thread is blocked waiting.</summary>
internal static class SyncBridge
{
    public static void Run(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            return;
        }

        task.AsTask().GetAwaiter().GetResult();
    }

    public static T Run<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();
}
