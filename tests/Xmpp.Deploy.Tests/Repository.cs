using System.Reflection;

namespace Xmpp.Deploy.Tests;

/// <summary>Where the build put things: the repository the tests check, and the Bicep CLI restore downloaded.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Infra { get; } = Path.Combine(Root, "infra");

    public static string BicepPath { get; } = Metadata("BicepPath");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
