using System.Globalization;
using System.Reflection;

namespace MlWorkflow.Training;

/// <summary>
/// A hyperparameter bound to a public field or property of an ML.NET options class, by its path
/// (<c>NumberOfTrees</c>, or <c>Booster.L2Regularization</c> for a nested options object). One binding
/// serves every options class of a family, since they inherit the same fields.
/// </summary>
/// <typeparam name="TOptions">The options class.</typeparam>
public sealed class OptionBinding<TOptions>
{
    private const BindingFlags Public = BindingFlags.Public | BindingFlags.Instance;
    private readonly MemberInfo[] _path;
    private readonly Type _valueType;

    /// <summary>Binds a hyperparameter to a member of the options class.</summary>
    /// <param name="descriptor">The hyperparameter; its kind must fit the member's type (a nullable member when it allows auto).</param>
    /// <param name="path">The public field or property, dotted for a nested options object (<c>Booster.L2Regularization</c>).</param>
    /// <exception cref="InvalidOperationException">The member does not exist or cannot hold the hyperparameter.</exception>
    public OptionBinding(HyperparameterDescriptor descriptor, string path)
    {
        Descriptor = descriptor;
        var members = new List<MemberInfo>();
        var type = typeof(TOptions);
        foreach (var part in path.Split('.'))
        {
            var member = (MemberInfo?)type.GetField(part, Public) ?? type.GetProperty(part, Public)
                ?? throw new InvalidOperationException($"{typeof(TOptions).FullName} has no public member '{path}' for hyperparameter '{descriptor.Name}'.");
            members.Add(member);
            type = MemberType(member);
        }

        _path = members.ToArray();
        _valueType = type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var expected = descriptor.Kind switch
        {
            HyperparameterKind.Integer => underlying == typeof(int),
            HyperparameterKind.Real => underlying == typeof(double) || underlying == typeof(float),
            HyperparameterKind.Boolean => underlying == typeof(bool),
            _ => underlying == typeof(string) || underlying.IsEnum,
        };
        if (!expected || (descriptor.AllowsAuto && Nullable.GetUnderlyingType(type) is null && type.IsValueType))
        {
            throw new InvalidOperationException($"{typeof(TOptions).FullName}.{path} ({type.Name}) cannot hold hyperparameter '{descriptor.Name}' ({descriptor.Kind}).");
        }
    }

    /// <summary>The hyperparameter.</summary>
    public HyperparameterDescriptor Descriptor { get; }

    /// <summary>The hyperparameter's name.</summary>
    public string Name => Descriptor.Name;

    /// <summary>Reads the value as the descriptor's type (a float is widened by its shortest text, so 0.1f reads 0.1).</summary>
    internal object? Get(TOptions options)
    {
        object? value = options;
        foreach (var member in _path)
        {
            value = value is null ? null : GetValue(member, value);
        }

        return value switch
        {
            float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            Enum e => e.ToString(),
            _ => value,
        };
    }

    /// <summary>Writes a value already checked by the descriptor.</summary>
    internal void Set(TOptions options, object? value)
    {
        object target = options!;
        foreach (var member in _path[..^1])
        {
            target = GetValue(member, target)
                ?? throw new InvalidOperationException($"Cannot set hyperparameter '{Name}': {member.Name} is null on the options object.");
        }

        var underlying = Nullable.GetUnderlyingType(_valueType) ?? _valueType;
        if (underlying == typeof(float) && value is double d && Math.Abs(d) > float.MaxValue)
        {
            throw new ArgumentOutOfRangeException(Name, $"Hyperparameter '{Name}' must be at most {float.MaxValue.ToString(CultureInfo.InvariantCulture)} (ML.NET keeps it in single precision), got {d.ToString(CultureInfo.InvariantCulture)}.");
        }

        var converted = value switch
        {
            null => null,
            string s when underlying.IsEnum => Enum.Parse(underlying, s),
            _ => Convert.ChangeType(value, underlying, CultureInfo.InvariantCulture),
        };
        switch (_path[^1])
        {
            case FieldInfo field:
                field.SetValue(target, converted);
                break;
            case PropertyInfo property:
                property.SetValue(target, converted);
                break;
        }
    }

    private static Type MemberType(MemberInfo member) => member is FieldInfo field ? field.FieldType : ((PropertyInfo)member).PropertyType;

    private static object? GetValue(MemberInfo member, object target) =>
        member is FieldInfo field ? field.GetValue(target) : ((PropertyInfo)member).GetValue(target);
}
