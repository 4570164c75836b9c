using System.Reflection;

namespace MlWorkflow.Training;

/// <summary>Which public settings of two ML.NET options objects differ (nested option bags compared member by member).</summary>
internal static class OptionsDifference
{
    // The workflow sets these itself on every estimator.
    private static readonly string[] WorkflowColumns = ["LabelColumnName", "FeatureColumnName"];

    public static IReadOnlyList<string> Between(object actual, object expected)
    {
        var differences = new List<string>();
        Compare(actual, expected, string.Empty, 0, differences);
        return differences;
    }

    private static void Compare(object actual, object expected, string prefix, int depth, List<string> differences)
    {
        foreach (var member in Members(actual.GetType()))
        {
            if (depth == 0 && WorkflowColumns.Contains(member.Name))
            {
                continue;
            }

            var a = Value(member, actual);
            var e = Value(member, expected);
            var path = prefix + member.Name;
            if (a is null || e is null)
            {
                if (a is not null || e is not null)
                {
                    differences.Add(path);
                }
            }
            else if (a.GetType() != e.GetType())
            {
                differences.Add(path);
            }
            else if (a is string || a.GetType().IsValueType)
            {
                if (!a.Equals(e))
                {
                    differences.Add(path);
                }
            }
            else if (depth < 4 && IsOptionsType(a.GetType()))
            {
                Compare(a, e, path + ".", depth + 1, differences);
            }

            // Other objects (a loss function, a calibrator) count by their type, compared above.
        }
    }

    private static IEnumerable<MemberInfo> Members(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Instance).Cast<MemberInfo>()
            .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.GetIndexParameters().Length == 0));

    private static object? Value(MemberInfo member, object target)
    {
        try
        {
            return member is FieldInfo field ? field.GetValue(target) : ((PropertyInfo)member).GetValue(target);
        }
        catch (TargetInvocationException)
        {
            // A property that throws when read says nothing about the settings.
            return null;
        }
    }

    private static bool IsOptionsType(Type type) =>
        type.IsClass && (type.Name.EndsWith("Options", StringComparison.Ordinal) || type.Name.EndsWith("OptionsBase", StringComparison.Ordinal));
}
