namespace MlWorkflow.Testing.Data;

/// <summary>One expectation the data did not meet: what was expected, how many rows fail it and a few of them.</summary>
/// <param name="Expectation">What was expected, such as <c>column 'price' in [0, 20000]</c>.</param>
/// <param name="FailingRows">How many rows fail it (0 for expectations on the whole data, such as a missing column).</param>
/// <param name="Examples">Up to five failing rows as <c>row N: value</c>, or what was found instead.</param>
public sealed record DataExpectationFailure(string Expectation, long FailingRows, IReadOnlyList<string> Examples)
{
    /// <summary>The failure as one line: <c>column 'price' in [0, 20000]: 3 rows fail, e.g. row 4: -1; row 9: 25000</c>.</summary>
    /// <returns>The line.</returns>
    public override string ToString() =>
        FailingRows > 0
            ? $"{Expectation}: {FailingRows} {(FailingRows == 1 ? "row fails" : "rows fail")}, e.g. {string.Join("; ", Examples)}"
            : $"{Expectation}: {string.Join("; ", Examples)}";
}
