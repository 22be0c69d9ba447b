using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using Amazon.DynamoDBv2;
using Functions.Tools;
using Functions.Tools.DynamoDb;

namespace Functions.Tests.DynamoDb;

public sealed class DynaliteTests
{
    /// <summary>Starting dynalite (node) takes about a second; the rest are loopback calls.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static readonly TableKey Id = new("id", ScalarAttributeType.S);

    [Fact]
    public async Task Dynalite_listens_on_a_loopback_endpoint_once_started()
    {
        // Act
        await using var dynalite = await Dynalite.StartAsync().WaitAsync(Timeout);

        // Assert
        Assert.Equal($"http://127.0.0.1:{dynalite.Port}", dynalite.Endpoint);
        Assert.Null(dynalite.DataDirectory);
        Assert.True(await AcceptsConnectionsAsync(dynalite.Port));
    }

    [Fact]
    public async Task Disposing_dynalite_stops_it()
    {
        var dynalite = await Dynalite.StartAsync().WaitAsync(Timeout);

        await dynalite.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.False(await AcceptsConnectionsAsync(dynalite.Port));
    }

    [Fact]
    public async Task Two_dynalites_get_different_ports()
    {
        await using var first = await Dynalite.StartAsync().WaitAsync(Timeout);
        await using var second = await Dynalite.StartAsync().WaitAsync(Timeout);

        Assert.NotEqual(first.Port, second.Port);
    }

    [Fact]
    public async Task Starting_without_node_modules_in_an_app_says_to_run_npm_install()
    {
        // Arrange: an app (no ./fn launcher) where npm install never ran.
        using var empty = new ScratchFolder();

        // Act
        var error = await Assert.ThrowsAsync<DynaliteStartException>(
            () => Dynalite.StartAsync(repository: new Repository(empty.Path)).WaitAsync(Timeout));

        // Assert
        Assert.Contains("run npm install", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("node_modules", "dynalite"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_dynalite_that_exits_at_start_is_reported_with_what_it_printed()
    {
        // Arrange: a stand-in for the module that fails the way a broken install does.
        using var repository = new ScratchFolder();
        var module = Directory.CreateDirectory(Path.Combine(repository.Path, "node_modules", "dynalite")).FullName;
        await File.WriteAllTextAsync(Path.Combine(module, "package.json"), """{"name":"dynalite","main":"index.js"}""");
        await File.WriteAllTextAsync(Path.Combine(module, "index.js"), "console.error(\"Error: Cannot find module 'leveldown'\"); process.exit(3)\n");

        // Act
        var error = await Assert.ThrowsAsync<DynaliteStartException>(
            () => Dynalite.StartAsync(repository: new Repository(repository.Path)).WaitAsync(Timeout));

        // Assert
        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot find module 'leveldown'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Run npm install to repair it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_in_a_data_directory_outlive_the_process()
    {
        // Arrange
        using var data = new ScratchFolder();
        var folder = Path.Combine(data.Path, "dynalite");
        await using (var first = await Dynalite.StartAsync(folder).WaitAsync(Timeout))
        {
            using var provisioner = new TableProvisioner(first.Endpoint);
            Assert.True(await provisioner.EnsureTableAsync("items", Id).WaitAsync(Timeout));
        }

        // Act
        await using var second = await Dynalite.StartAsync(folder).WaitAsync(Timeout);
        using var again = new TableProvisioner(second.Endpoint);
        var created = await again.EnsureTableAsync("items", Id).WaitAsync(Timeout);

        // Assert
        Assert.Equal(folder, second.DataDirectory);
        Assert.False(created);
    }

    [Fact]
    public async Task Tables_in_memory_die_with_the_process()
    {
        await using (var first = await Dynalite.StartAsync().WaitAsync(Timeout))
        {
            using var provisioner = new TableProvisioner(first.Endpoint);
            await provisioner.EnsureTableAsync("items", Id).WaitAsync(Timeout);
        }

        await using var second = await Dynalite.StartAsync().WaitAsync(Timeout);
        using var again = new TableProvisioner(second.Endpoint);

        Assert.True(await again.EnsureTableAsync("items", Id).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Provisioning_creates_an_active_on_demand_table_once()
    {
        // Arrange
        await using var dynalite = await Dynalite.StartAsync().WaitAsync(Timeout);
        using var provisioner = new TableProvisioner(dynalite.Endpoint);
        using var client = TableProvisioner.CreateClient(dynalite.Endpoint);

        // Act
        var first = await provisioner.EnsureTableAsync("orders", Id, new TableKey("createdAt", ScalarAttributeType.N)).WaitAsync(Timeout);
        var second = await provisioner.EnsureTableAsync("orders", Id, new TableKey("createdAt", ScalarAttributeType.N)).WaitAsync(Timeout);

        // Assert
        Assert.True(first);
        Assert.False(second);
        var table = (await client.DescribeTableAsync("orders").WaitAsync(Timeout)).Table;
        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary?.BillingMode);
        Assert.Equal(["id:HASH", "createdAt:RANGE"], table.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"));
        Assert.Equal(["createdAt:N", "id:S"],
            table.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order(StringComparer.Ordinal));
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Timeout);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
