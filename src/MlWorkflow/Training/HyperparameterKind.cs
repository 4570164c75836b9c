namespace MlWorkflow.Training;

/// <summary>The type of a hyperparameter's values, as a tuner samples them.</summary>
public enum HyperparameterKind
{
    /// <summary>A whole number (<see cref="int"/>).</summary>
    Integer,

    /// <summary>A real number (<see cref="double"/>).</summary>
    Real,

    /// <summary>True or false (<see cref="bool"/>).</summary>
    Boolean,

    /// <summary>One of a fixed set of names (<see cref="string"/>), listed by <see cref="HyperparameterDescriptor.Choices"/>.</summary>
    Categorical,
}
