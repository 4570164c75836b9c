using Microsoft.ML;

namespace MlWorkflow.Features;

/// <summary>
/// One feature-engineering step as a value: it knows its name and parameters (for logging) and
/// produces the ML.NET estimator that does the work. Steps are validated against the schema they
/// receive before anything is trained.
/// </summary>
public abstract class FeatureStep
{
    /// <summary>Creates a step.</summary>
    /// <param name="name">The step's short name, as logged (for example <c>log1p</c>).</param>
    protected FeatureStep(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The step's short name, as logged (for example <c>one_hot</c>).</summary>
    public string Name { get; }

    /// <summary>The columns the step reads.</summary>
    public abstract IReadOnlyList<string> InputColumns { get; }

    /// <summary>The columns the step writes (a column may be written in place).</summary>
    public abstract IReadOnlyList<string> OutputColumns { get; }

    /// <summary>The step's parameters as invariant strings, for logging (column names included).</summary>
    public abstract IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Creates the ML.NET estimator that performs the step.</summary>
    /// <param name="mlContext">The context of the workflow.</param>
    /// <returns>An estimator (possibly a chain) for this step.</returns>
    public abstract IEstimator<ITransformer> CreateEstimator(MLContext mlContext);

    /// <summary>
    /// Checks that the columns this step reads exist in <paramref name="input"/> with a type it accepts,
    /// and returns the schema it produces.
    /// </summary>
    /// <param name="mlContext">The context of the workflow.</param>
    /// <param name="input">The schema the step receives.</param>
    /// <returns>The schema after the step.</returns>
    /// <exception cref="FeatureValidationException">A column is missing or has a type the step cannot take.</exception>
    public virtual SchemaShape Validate(MLContext mlContext, SchemaShape input)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        foreach (var column in InputColumns)
        {
            CheckInputColumn(input, column);
        }

        try
        {
            return CreateEstimator(mlContext).GetOutputSchema(input);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new FeatureValidationException(this, InputColumns.Count > 0 ? InputColumns[0] : string.Empty, error.Message, error);
        }
    }

    /// <summary>
    /// Checks one input column: it must exist and have a type the step accepts (see <see cref="AcceptsColumn"/>).
    /// </summary>
    /// <param name="input">The schema the step receives.</param>
    /// <param name="column">The column to check.</param>
    protected void CheckInputColumn(SchemaShape input, string column)
    {
        if (!input.TryFindColumn(column, out var found))
        {
            var known = string.Join(", ", input.Select(c => c.Name));
            throw new FeatureValidationException(this, column, $"column '{column}' does not exist; columns here: {known}");
        }

        if (!AcceptsColumn(found, out var expected))
        {
            throw new FeatureValidationException(
                this,
                column,
                $"column '{column}' is {ColumnTypes.Describe(found)}, but the step needs {expected}");
        }
    }

    /// <summary>Whether the step can read a column of this shape; the default accepts anything.</summary>
    /// <param name="column">The column.</param>
    /// <param name="expected">What the step needs, for the error message.</param>
    /// <returns>True when the column is acceptable.</returns>
    protected virtual bool AcceptsColumn(SchemaShape.Column column, out string expected)
    {
        expected = "any column";
        return true;
    }

    /// <summary>
    /// The C# call on <see cref="FeaturePipelineBuilder"/> that recreates this step (for example
    /// <c>.OneHot("cut")</c>), used by generated code; null when the step cannot be written as code
    /// (a custom mapping), and generators then say so.
    /// </summary>
    internal virtual string? BuilderCall => null;

    /// <summary>A one-line description such as <c>log1p(sales -&gt; log_sales)</c>, used as a param value.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var inputs = string.Join(", ", InputColumns);
        var outputs = string.Join(", ", OutputColumns);
        var columns = inputs == outputs || OutputColumns.Count == 0 ? inputs : $"{inputs} -> {outputs}";
        var extras = Parameters
            .Where(p => p.Key is not ("input" or "output" or "inputs" or "outputs" or "columns"))
            .Select(p => $"{p.Key}={p.Value}");
        var all = string.Join(", ", new[] { columns }.Concat(extras).Where(s => s.Length > 0));
        return $"{Name}({all})";
    }
}
