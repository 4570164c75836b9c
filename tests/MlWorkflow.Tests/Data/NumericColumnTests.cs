using Microsoft.ML;
using MlWorkflow.Data;

namespace MlWorkflow.Tests.Data;

/// <summary>One reader of numbers for the profile and the splits: each of ML.NET's number types as a double, Singles exact or as shown.</summary>
[TestFixture]
public sealed class NumericColumnTests
{
    [Test]
    public void Each_number_type_reads_as_a_double_and_a_text_column_is_not_a_number()
    {
        var data = new MLContext(seed: 1).Data.LoadFromEnumerable([new Row { Text = "a" }]);
        using var cursor = data.GetRowCursor(data.Schema);
        var getters = data.Schema.Where(c => c.Name != nameof(Row.Text)).ToDictionary(c => c.Name, c => NumericColumn.Getter(cursor, c)!);
        var text = NumericColumn.Getter(cursor, data.Schema[nameof(Row.Text)]);
        Assert.That(cursor.MoveNext(), Is.True);

        Assert.That(getters.ToDictionary(g => g.Key, g => g.Value()), Is.EqualTo(new Dictionary<string, double>
        {
            ["Double"] = -2.5, ["Single"] = (double)0.1f, ["Int32"] = -7, ["Int64"] = 1L << 40, ["Int16"] = -3, ["SByte"] = -4,
            ["Byte"] = 200, ["UInt16"] = 60000, ["UInt32"] = 4_000_000_000, ["UInt64"] = 1UL << 63, ["Missing"] = double.NaN,
        }));
        Assert.That(text is null, Is.True, "a text column has no number getter");
    }

    [Test]
    public void A_single_reads_as_shown_only_when_asked()
    {
        var data = new MLContext(seed: 1).Data.LoadFromEnumerable([new Row { Text = "a" }]);
        using var cursor = data.GetRowCursor(data.Schema);
        var exact = NumericColumn.Getter(cursor, data.Schema["Single"])!;
        var shown = NumericColumn.Getter(cursor, data.Schema["Single"], singlesAsShown: true)!;
        Assert.That(cursor.MoveNext(), Is.True);

        Assert.That(exact(), Is.EqualTo(0.10000000149011612));
        Assert.That(shown(), Is.EqualTo(0.1));
    }

    private sealed class Row
    {
        public double Double { get; set; } = -2.5;

        public float Single { get; set; } = 0.1f;

        public int Int32 { get; set; } = -7;

        public long Int64 { get; set; } = 1L << 40;

        public short Int16 { get; set; } = -3;

        public sbyte SByte { get; set; } = -4;

        public byte Byte { get; set; } = 200;

        public ushort UInt16 { get; set; } = 60000;

        public uint UInt32 { get; set; } = 4_000_000_000;

        public ulong UInt64 { get; set; } = 1UL << 63;

        public float Missing { get; set; } = float.NaN;

        public string Text { get; set; } = string.Empty;
    }
}
