using System.Linq.Expressions;
using System.Reflection;

namespace Xmpp.Runtime.Internal;

/// <summary>
/// Dispatch information of one grain interface method, built once per interface: a compiled
/// delegate that calls the method on the grain, and how the caller is answered.
/// </summary>
internal abstract class GrainMethod(MethodInfo method)
{
    public string Name { get; } = $"{method.DeclaringType!.Name}.{method.Name}";

    /// <summary>Queues the call to the grain and returns what the proxy hands back to the caller.</summary>
    public abstract object? Call(GrainProxy proxy, object?[] args);

    public static GrainMethod Create(MethodInfo method)
    {
        if (method.IsGenericMethodDefinition)
        {
            throw new NotSupportedException($"Grain method {method.DeclaringType}.{method.Name} is generic; grain methods may not be.");
        }

        if (method.GetParameters().Any(p => p.ParameterType.IsByRef))
        {
            throw new NotSupportedException($"Grain method {method.DeclaringType}.{method.Name} has a ref/out/in parameter.");
        }

        var returnType = method.ReturnType;
        var isOneWay = method.IsDefined(typeof(OneWayAttribute), inherit: true);
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var call = Expression.Call(
            Expression.Convert(grain, method.DeclaringType!),
            method,
            method.GetParameters().Select((p, i) =>
                Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType)));

        if (returnType == typeof(Task) || returnType == typeof(ValueTask))
        {
            Expression body = returnType == typeof(Task)
                ? call
                : Expression.Call(call, typeof(ValueTask).GetMethod(nameof(ValueTask.AsTask))!);
            var invoker = Expression.Lambda<Func<object, object?[], Task>>(body, grain, args).Compile();
            return new VoidGrainMethod(method, invoker, isOneWay, returnType == typeof(ValueTask));
        }

        if (returnType.IsGenericType &&
            (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            if (isOneWay)
            {
                throw new NotSupportedException($"One-way grain method {method.DeclaringType}.{method.Name} returns a value; one-way methods return Task or ValueTask.");
            }

            var resultType = returnType.GetGenericArguments()[0];
            var valueTaskType = typeof(ValueTask<>).MakeGenericType(resultType);
            Expression body = returnType == valueTaskType
                ? call
                : Expression.New(valueTaskType.GetConstructor([returnType])!, call);
            var delegateType = typeof(Func<,,>).MakeGenericType(typeof(object), typeof(object?[]), valueTaskType);
            var invoker = Expression.Lambda(delegateType, body, grain, args).Compile();
            return (GrainMethod)Activator.CreateInstance(
                typeof(ResultGrainMethod<>).MakeGenericType(resultType),
                method,
                invoker,
                returnType == valueTaskType)!;
        }

        throw new NotSupportedException(
            $"Grain method {method.DeclaringType}.{method.Name} returns {returnType}; grain methods return Task, Task<T>, ValueTask or ValueTask<T>.");
    }

    /// <summary>Every method of a grain interface and of the interfaces it extends.</summary>
    public static IEnumerable<MethodInfo> InterfaceMethods(Type interfaceType) =>
        new[] { interfaceType }.Concat(interfaceType.GetInterfaces()).SelectMany(i => i.GetMethods());
}

/// <summary>A method returning <see cref="Task"/> or <see cref="ValueTask"/>, possibly one-way.</summary>
internal sealed class VoidGrainMethod(MethodInfo method, Func<object, object?[], Task> invoker, bool isOneWay, bool returnsValueTask)
    : GrainMethod(method)
{
    private static readonly object CompletedValueTask = default(ValueTask);

    public Task InvokeVoid(object grain, object?[] args) => invoker(grain, args);

    public override object? Call(GrainProxy proxy, object?[] args)
    {
        if (isOneWay)
        {
            proxy.Send(new OneWayCall(this, args));
            return returnsValueTask ? CompletedValueTask : Task.CompletedTask;
        }

        var call = new VoidCall(this, args);
        proxy.Send(call);
        return returnsValueTask ? new ValueTask(call.Task) : call.Task;
    }
}

/// <summary>A method returning <see cref="Task{TResult}"/> or <see cref="ValueTask{TResult}"/>.</summary>
internal sealed class ResultGrainMethod<TResult>(MethodInfo method, Func<object, object?[], ValueTask<TResult>> invoker, bool returnsValueTask)
    : GrainMethod(method)
{
    public ValueTask<TResult> Invoke(object grain, object?[] args) => invoker(grain, args);

    public override object? Call(GrainProxy proxy, object?[] args)
    {
        var call = new ResultCall<TResult>(this, args);
        proxy.Send(call);
        return returnsValueTask ? new ValueTask<TResult>(call.Task) : call.Task;
    }
}
