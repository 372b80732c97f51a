using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xmpp.Gateway;
using Xmpp.Gateway.Sasl;
using Xmpp.Grains;
using Xmpp.Storage;
using Xmpp.Grains.Users;
using Xmpp.Server.Cluster;

namespace Xmpp.Server;

/// <summary>
/// <c>user add|passwd|list</c> against the configured store, without starting the server;
/// <c>user delete</c> through the running server (<see cref="RunningServerClient"/>), since an
/// account's removal goes through its grain. Passwords are turned into SCRAM credentials here;
/// the store never sees them.
/// </summary>
internal static class AdminCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Positional words first, then options (--config, --Storage:Path=…) as for the server.
        var words = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        var options = args[words.Length..];

        var configuration = new ConfigurationManager();
        ServerConfiguration.Apply(configuration, options, ServerConfiguration.EnvironmentName());
        var services = new ServiceCollection()
            .AddLogging(b => b.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
            .AddConfiguredStorage(configuration);
        await using var provider = services.BuildServiceProvider();
        var accounts = provider.GetRequiredService<IAccountStore>();
        var domain = configuration.GetSection(XmppOptions.SectionName).Get<XmppOptions>()?.Domain ?? new XmppOptions().Domain;
        var iterations = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>()?.Auth.ScramIterations ?? ScramCredentials.DefaultIterations;

        try
        {
            return words switch
            {
                [_, "add", var name, .. var rest] => await AddAsync(accounts, name, Password(rest), iterations),
                [_, "passwd" or "password", var name, .. var rest] => await ChangePasswordAsync(accounts, name, Password(rest), iterations),
                [_, "delete" or "del" or "remove", var name] => await DeleteAsync(accounts, SiloConfiguration.Read(configuration), domain, name),
                [_, "list" or "ls"] => await ListAsync(accounts),
                _ => Usage(),
            };
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }

    private static async Task<int> AddAsync(IAccountStore accounts, string name, string password, int iterations)
    {
        var account = ScramCredentials.CreateAccount(name, password, iterations);
        if (!await accounts.CreateAsync(account))
        {
            await Console.Error.WriteLineAsync($"User {account.Username} already exists.");
            return 1;
        }

        Console.WriteLine($"User {account.Username} added.");
        return 0;
    }

    private static async Task<int> ChangePasswordAsync(IAccountStore accounts, string name, string password, int iterations)
    {
        var account = ScramCredentials.CreateAccount(name, password, iterations);
        if (!await accounts.UpdateAsync(account))
        {
            await Console.Error.WriteLineAsync($"There is no user {account.Username}.");
            return 1;
        }

        Console.WriteLine($"Password of {account.Username} changed.");
        return 0;
    }

    /// <summary>
    /// XEP-0077 account removal, as if its user asked: contacts are told, everything the account
    /// kept is deleted (roster, vCard, offline messages, archive, PEP nodes, room affiliations) and
    /// its tombstone keeps the name from being registered again.
    /// </summary>
    private static async Task<int> DeleteAsync(IAccountStore accounts, OrleansSettings orleans, string domain, string name)
    {
        var username = Jid.TryPrepareLocalpart(name, out var prepared, out _) ? prepared : name;
        if (await accounts.FindAsync(username) is null)
        {
            await Console.Error.WriteLineAsync($"There is no user {username}.");
            return 1;
        }

        return await RunningServerClient.RunAsync(orleans, Console.Error, async grains =>
        {
            await grains.GetGrain<IUserGrain>($"{username}@{domain}").RemoveAccountAsync(resource: string.Empty);
            Console.WriteLine($"User {username} deleted, with everything it kept.");
            return 0;
        });
    }

    private static async Task<int> ListAsync(IAccountStore accounts)
    {
        foreach (var name in await accounts.ListAsync())
        {
            Console.WriteLine(name);
        }

        return 0;
    }

    /// <summary>The password argument, or a line from stdin (not echoed when interactive).</summary>
    private static string Password(string[] rest)
    {
        if (rest.Length > 0)
        {
            return rest[0];
        }

        if (Console.IsInputRedirected)
        {
            return Console.ReadLine() ?? string.Empty;
        }

        Console.Write("Password: ");
        var password = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.WriteLine();
                return password.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("Usage: user add NAME [PASSWORD] | user passwd NAME [PASSWORD] | user delete NAME | user list");
        return 2;
    }
}
