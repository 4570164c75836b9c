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

        for (var type = options.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                // ML.NET names its nested option bags *Options / *OptionsBase (booster, loss and calibrator settings).
                if (field.FieldType.IsClass && IsOptionsType(field.FieldType) && field.GetValue(options) is { } nested)
                {
                    field.SetValue(copy, Copy(nested, depth + 1));
                }
            }
        }

        return copy;
    }

    private static bool IsOptionsType(Type type) =>
        type.Name.EndsWith("Options", StringComparison.Ordinal) || type.Name.EndsWith("OptionsBase", StringComparison.Ordinal);
}
