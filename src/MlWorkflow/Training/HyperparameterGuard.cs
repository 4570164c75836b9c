namespace MlWorkflow.Training;

/// <summary>Checks hyperparameters when a trainer spec is created, so that a bad value fails before training.</summary>
internal static class HyperparameterGuard
{
    public static int Positive(string trainer, string name, int value) =>
        value > 0 ? value : throw Out(trainer, name, value, "must be greater than 0");

    public static int AtLeast(string trainer, string name, int value, int minimum) =>
        value >= minimum ? value : throw Out(trainer, name, value, $"must be at least {minimum}");

    public static double Positive(string trainer, string name, double value) =>
        double.IsFinite(value) && value > 0 ? value : throw Out(trainer, name, value, "must be a finite number greater than 0");

    public static double NonNegative(string trainer, string name, double value) =>
        double.IsFinite(value) && value >= 0 ? value : throw Out(trainer, name, value, "must be a finite number, 0 or more");

    public static double? NonNegative(string trainer, string name, double? value) =>
        value is { } v ? NonNegative(trainer, name, v) : null;

    public static double Fraction(string trainer, string name, double value) =>
        double.IsFinite(value) && value > 0 && value <= 1 ? value : throw Out(trainer, name, value, "must be in (0, 1]");

    private static ArgumentOutOfRangeException Out(string trainer, string name, object value, string rule) =>
        new(name, value, $"Trainer {trainer}: hyperparameter '{name}' {rule}, got {value}.");
}
