using System.Text;

namespace MlWorkflow.Data.Parquet;

/// <summary>Conversions from the CLR types Parquet.Net reads to the ML.NET element types of <see cref="ParquetSchemaMapper.ElementTypeFor"/>.</summary>
internal static class ValueConverters
{
    public static Func<TIn, TOut> Get<TIn, TOut>()
    {
        Delegate converter = (typeof(TIn), typeof(TOut)) switch
        {
            var (i, o) when i == o => (Func<TIn, TIn>)(static v => v),
            var (i, _) when i == typeof(string) => (Func<string?, ReadOnlyMemory<char>>)(static v => v.AsMemory()),
            var (i, _) when i == typeof(ReadOnlyMemory<byte>) => (Func<ReadOnlyMemory<byte>, ReadOnlyMemory<char>>)(static v => Encoding.UTF8.GetString(v.Span).AsMemory()),
            var (i, _) when i == typeof(byte[]) => (Func<byte[]?, ReadOnlyMemory<char>>)(static v => v is null ? default : Encoding.UTF8.GetString(v).AsMemory()),
            var (i, _) when i == typeof(decimal) => (Func<decimal, double>)(static v => (double)v),
            var (i, _) when i == typeof(DateOnly) => (Func<DateOnly, DateTime>)(static v => v.ToDateTime(TimeOnly.MinValue)),
            var (i, _) when i == typeof(TimeOnly) => (Func<TimeOnly, TimeSpan>)(static v => v.ToTimeSpan()),
            _ => throw new InvalidOperationException($"No conversion from {typeof(TIn)} to {typeof(TOut)}."),
        };
        return (Func<TIn, TOut>)converter;
    }
}
