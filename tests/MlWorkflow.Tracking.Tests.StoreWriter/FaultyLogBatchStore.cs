using System.Reflection;
using MlWorkflow.Tracking;

/// <summary>What <see cref="FaultyLogBatchStore"/> does with <c>LogBatchAsync</c>.</summary>
internal enum LogBatchBehaviour
{
    NeverFinish,
    FailWithToken,
}

/// <summary>A real file store whose <c>LogBatchAsync</c> never finishes or fails, every other call going through.</summary>
#pragma warning disable CA1852 // DispatchProxy needs an unsealed, instantiable type.
internal class FaultyLogBatchStore : DispatchProxy
#pragma warning restore CA1852
{
    private ITrackingStore _inner = null!;
    private LogBatchBehaviour _behaviour;

    public static ITrackingStore Wrap(ITrackingStore inner, LogBatchBehaviour behaviour)
    {
        var proxy = Create<ITrackingStore, FaultyLogBatchStore>();
        var faulty = (FaultyLogBatchStore)(object)proxy;
        faulty._inner = inner;
        faulty._behaviour = behaviour;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ITrackingStore.LogBatchAsync))
        {
            return _behaviour == LogBatchBehaviour.NeverFinish
                ? new TaskCompletionSource().Task
                : Task.FromException(new HttpRequestException("proxy said: Authorization: Bearer tok-exit-hook-secret was refused"));
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException error) when (error.InnerException is not null)
        {
            throw error.InnerException;
        }
    }
}
