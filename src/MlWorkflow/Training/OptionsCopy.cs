using System.Reflection;

namespace MlWorkflow.Training;

/// <summary>
/// Copies ML.NET options objects, so that a spec owns its settings: the caller's object is never changed
/// (the workflow sets the column names) and two specs never share one.
/// </summary>
internal static class OptionsCopy
{
    private static readonly MethodInfo CloneMethod =
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>A copy of <paramref name="options"/>, with nested options objects (such as LightGBM's booster) copied too.</summary>
    public static T Of<T>(T options)
        where T : class => (T)Copy(options, 0);

    private static object Copy(object options, int depth)
    {
        var copy = CloneMethod.Invoke(options, null)!;
        if (depth > 4)
        {
            return copy;
        }

        // Nested option bags go through their public setters: LightGBM's Booster setter also repoints the
        // internal factory that training reads, which a field-by-field copy would leave on the original.
        foreach (var field in options.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public))
        {
            if (IsOptionsType(field.FieldType) && field.GetValue(options) is { } nested)
            {
                field.SetValue(copy, Copy(nested, depth + 1));
            }
        }

        foreach (var property in options.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
        {
            if (IsOptionsType(property.PropertyType) && property.CanWrite && property.GetIndexParameters().Length == 0
                && property.GetValue(options) is { } nested)
            {
                property.SetValue(copy, Copy(nested, depth + 1));
            }
        }

        return copy;
    }

    // ML.NET names its nested option bags *Options / *OptionsBase (booster settings, for example).
    private static bool IsOptionsType(Type type) =>
        type.IsClass && (type.Name.EndsWith("Options", StringComparison.Ordinal) || type.Name.EndsWith("OptionsBase", StringComparison.Ordinal));
}
