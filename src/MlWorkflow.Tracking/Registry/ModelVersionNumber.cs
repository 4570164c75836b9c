using System.Globalization;

namespace MlWorkflow.Tracking.Registry;

/// <summary>Converts model version numbers to and from their wire form (MLflow sends versions as decimal strings: <c>"3"</c>).</summary>
public static class ModelVersionNumber
{
    /// <summary>Parses a version sent as text.</summary>
    /// <param name="text">The text, such as <c>"3"</c>.</param>
    /// <returns>The version number.</returns>
    /// <exception cref="MlflowException"><see cref="ErrorCode.InvalidParameterValue"/> (<c>Model version must be an integer, got 'x'.</c>) for anything but a positive integer.</exception>
    public static int Parse(string? text) => RegistryValidation.ParseVersion(text);

    /// <summary>The wire form of a version number.</summary>
    /// <param name="version">The version number.</param>
    /// <returns>The decimal string.</returns>
    public static string ToWireString(int version) => version.ToString(CultureInfo.InvariantCulture);
}
