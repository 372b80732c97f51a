using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Xmpp.Runtime.Storage;

namespace Xmpp.Runtime.Internal;

/// <summary>
/// Constructs a grain class: services from the container, and a fresh <see cref="IPersistentState{TState}"/>
/// for each parameter marked <see cref="PersistentStateAttribute"/>. The plan is computed once per class.
/// </summary>
internal sealed class GrainActivator
{
    private readonly ConstructorInfo _constructor;
    private readonly Func<ActivationServices, object?>[] _parameters;

    public GrainActivator(Type classType, string grainTypeName)
    {
        if (classType.IsAbstract)
        {
            throw new ArgumentException($"Grain class {classType} is abstract.", nameof(classType));
        }

        var constructors = classType.GetConstructors();
        _constructor = constructors.Length switch
        {
            0 => throw new ArgumentException($"Grain class {classType} has no public constructor.", nameof(classType)),
            1 => constructors[0],
            _ => constructors.FirstOrDefault(c => c.IsDefined(typeof(ActivatorUtilitiesConstructorAttribute)))
                ?? constructors.OrderByDescending(c => c.GetParameters().Length).First(),
        };
        _parameters = [.. _constructor.GetParameters().Select(p => Plan(p, classType, grainTypeName))];
    }

    public Grain Create(ActivationServices services)
    {
        var args = new object?[_parameters.Length];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = _parameters[i](services);
        }

        try
        {
            return (Grain)_constructor.Invoke(args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // Let the grain constructor's own exception reach the caller.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private static Func<ActivationServices, object?> Plan(ParameterInfo parameter, Type classType, string grainTypeName)
    {
        var type = parameter.ParameterType;
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is { } attribute)
        {
            if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
            {
                throw new ArgumentException($"Parameter {parameter.Name} of {classType} is marked [PersistentState] but is not IPersistentState<T>.", nameof(classType));
            }

            var stateType = typeof(PersistentState<>).MakeGenericType(type.GetGenericArguments()[0]);
            var stateName = attribute.StateName;
            return services =>
            {
                var state = (IStateLoader)System.Activator.CreateInstance(
                    stateType,
                    services.Storage,
                    new GrainStateId(grainTypeName, services.Key, stateName),
                    services.SerializerOptions)!;
                services.States.Add(state);
                return state;
            };
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IPersistentState<>))
        {
            throw new ArgumentException($"Parameter {parameter.Name} of {classType} is IPersistentState<T> without [PersistentState(\"name\")].", nameof(classType));
        }

        var hasDefault = parameter.HasDefaultValue;
        var defaultValue = hasDefault ? parameter.DefaultValue : null;
        return services => services.Provider.GetService(type)
            ?? (hasDefault ? defaultValue : throw new InvalidOperationException(
                $"Unable to resolve service for type '{type}' while activating grain '{classType}'."));
    }
}

/// <summary>What one activation's construction needs; collects the states to read before the first turn.</summary>
internal sealed class ActivationServices(IServiceProvider provider, Func<IGrainStorage> storage, System.Text.Json.JsonSerializerOptions serializerOptions, string key)
{
    public IServiceProvider Provider { get; } = provider;

    public IGrainStorage Storage => storage();

    public System.Text.Json.JsonSerializerOptions SerializerOptions { get; } = serializerOptions;

    public string Key { get; } = key;

    public List<IStateLoader> States { get; } = [];
}
