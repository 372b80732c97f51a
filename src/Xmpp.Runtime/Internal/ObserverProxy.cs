using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Xmpp.Runtime.Internal;

/// <summary>
/// What <see cref="IGrainFactory.CreateObjectReference{TObserver}"/> returns: calls go straight to
/// the object on the caller's thread until the reference is deleted, then are dropped. A void
/// method's exception is logged, not thrown, so one broken session cannot fail a grain's turn.
/// </summary>
internal class ObserverProxy : DispatchProxy
{
    private static readonly ConcurrentDictionary<Type, FrozenDictionary<MethodInfo, ObserverMethod>> Tables = new();

    private FrozenDictionary<MethodInfo, ObserverMethod> _methods = null!;
    private ILogger _logger = null!;
    private volatile object? _target;

    internal static object Create(Type interfaceType, object target, ILogger logger)
    {
        var proxy = (ObserverProxy)Create(interfaceType, typeof(ObserverProxy));
        proxy._methods = Tables.GetOrAdd(interfaceType, static t => GrainMethod.InterfaceMethods(t)
            .Distinct()
            .ToFrozenDictionary(m => m, m => new ObserverMethod(m)));
        proxy._logger = logger;
        proxy._target = target;
        return proxy;
    }

    internal bool IsAlive => _target is not null;

    internal void Delete() => _target = null;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = _methods[targetMethod!];
        var target = _target;
        if (target is null)
        {
            return method.DroppedResult;
        }

        if (!method.IsVoid)
        {
            return method.Invoke(target, args ?? []);
        }

        try
        {
            method.Invoke(target, args ?? []);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Observer call {Method} on {Observer} failed", method.Name, target);
        }

        return null;
    }

    public override string ToString() => $"ObserverReference({_target?.ToString() ?? "deleted"})";

    private sealed class ObserverMethod
    {
        public ObserverMethod(MethodInfo method)
        {
            Name = method.Name;
            IsVoid = method.ReturnType == typeof(void);
            var target = Expression.Parameter(typeof(object), "target");
            var args = Expression.Parameter(typeof(object?[]), "args");
            var call = Expression.Call(
                Expression.Convert(target, method.DeclaringType!),
                method,
                method.GetParameters().Select((p, i) =>
                    Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), p.ParameterType.IsByRef ? p.ParameterType.GetElementType()! : p.ParameterType)));
            Expression body = IsVoid
                ? Expression.Block(call, Expression.Constant(null, typeof(object)))
                : Expression.Convert(call, typeof(object));
            Invoke = Expression.Lambda<Func<object, object?[], object?>>(body, target, args).Compile();
            DroppedResult = Dropped(method.ReturnType);
        }

        public string Name { get; }

        public bool IsVoid { get; }

        public Func<object, object?[], object?> Invoke { get; }

        /// <summary>What a call through a deleted reference returns: nothing happened, successfully.</summary>
        public object? DroppedResult { get; }

        private static object? Dropped(Type returnType)
        {
            if (returnType == typeof(void))
            {
                return null;
            }

            if (returnType == typeof(Task))
            {
                return Task.CompletedTask;
            }

            if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                var result = typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(returnType.GetGenericArguments()[0]);
                var defaultValue = returnType.GetGenericArguments()[0].IsValueType ? Activator.CreateInstance(returnType.GetGenericArguments()[0]) : null;
                return result.Invoke(null, [defaultValue]);
            }

            return returnType.IsValueType ? Activator.CreateInstance(returnType) : null;
        }
    }
}
