using NUnit.Framework.Constraints;

namespace MlWorkflow.Testing.NUnit;

/// <summary>The result of a <see cref="ModelCheckConstraint"/>: NUnit's result with the check's own message.</summary>
public sealed class ModelCheckConstraintResult : ConstraintResult
{
    /// <summary>Creates the result.</summary>
    /// <param name="constraint">The constraint applied.</param>
    /// <param name="actualValue">The value it was applied to.</param>
    /// <param name="passed">Whether the check passed.</param>
    /// <param name="message">What was checked, with the values compared.</param>
    public ModelCheckConstraintResult(IConstraint constraint, object? actualValue, bool passed, string message)
        : base(constraint, actualValue, passed)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
    }

    /// <summary>What was checked, with the values compared.</summary>
    public string Message { get; }

    /// <summary>Writes <see cref="Message"/>.</summary>
    /// <param name="writer">The writer.</param>
    public override void WriteMessageTo(MessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(Message);
    }
}
