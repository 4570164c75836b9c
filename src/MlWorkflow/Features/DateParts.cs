using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlWorkflow.Features;

/// <summary>
/// The row mappings of <see cref="DatePartsStep"/>, with the factories that let a saved model reload them by contract name
/// (<see cref="Models.MlnetModel.Load"/> registers this assembly with ML.NET's component catalog).
/// </summary>
internal static class DateParts
{
    public const string InputColumn = "__mlw_date";
    public const string Prefix = "__mlw_date_";
    public const string TextContract = "MlWorkflow.DatePartsFromText";
    public const string DateTimeContract = "MlWorkflow.DatePartsFromDateTime";

    public static readonly string[] Names = ["year", "month", "day", "day_of_week", "hour"];

    // Parsed as written: no time zone conversion, so a local timestamp keeps its local hour.
    private const DateTimeStyles Styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind;

    /// <summary>Whether a text value reads as a date (and not as a plain number, which <see cref="DateTime.TryParse(string?, IFormatProvider?, DateTimeStyles, out DateTime)"/> may take for one).</summary>
    public static bool TryParse(string text, out DateTime value)
    {
        value = default;
        return !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, Styles, out value);
    }

    public static void FromText(TextInput input, Output output)
    {
        if (input.Value is { Length: > 0 } text && TryParse(text, out var value))
        {
            Set(value, output);
        }
        else
        {
            SetMissing(output);
        }
    }

    public static void FromDateTime(DateTimeInput input, Output output) => Set(input.Value, output);

    private static void Set(DateTime value, Output output)
    {
        output.Year = value.Year;
        output.Month = value.Month;
        output.Day = value.Day;
        output.DayOfWeek = (int)value.DayOfWeek;
        output.Hour = value.Hour;
    }

    private static void SetMissing(Output output)
    {
        output.Year = float.NaN;
        output.Month = float.NaN;
        output.Day = float.NaN;
        output.DayOfWeek = float.NaN;
        output.Hour = float.NaN;
    }

    public sealed class TextInput
    {
        [ColumnName(InputColumn)]
        public string? Value { get; set; }
    }

    public sealed class DateTimeInput
    {
        [ColumnName(InputColumn)]
        public DateTime Value { get; set; }
    }

    public sealed class Output
    {
        [ColumnName(Prefix + "year")]
        public float Year { get; set; }

        [ColumnName(Prefix + "month")]
        public float Month { get; set; }

        [ColumnName(Prefix + "day")]
        public float Day { get; set; }

        [ColumnName(Prefix + "day_of_week")]
        public float DayOfWeek { get; set; }

        [ColumnName(Prefix + "hour")]
        public float Hour { get; set; }
    }

    [CustomMappingFactoryAttribute(TextContract)]
    public sealed class TextFactory : CustomMappingFactory<TextInput, Output>
    {
        public override Action<TextInput, Output> GetMapping() => FromText;
    }

    [CustomMappingFactoryAttribute(DateTimeContract)]
    public sealed class DateTimeFactory : CustomMappingFactory<DateTimeInput, Output>
    {
        public override Action<DateTimeInput, Output> GetMapping() => FromDateTime;
    }
}
