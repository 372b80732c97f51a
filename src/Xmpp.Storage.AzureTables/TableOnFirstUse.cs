using Azure.Data.Tables;

namespace Xmpp.Storage.AzureTables;

/// <summary>A table that is created (if missing) before its first use.</summary>
internal sealed class TableOnFirstUse(TableServiceClient service, string name)
    : CreatedOnFirstUse<TableClient>(service.GetTableClient(name), static table => table.CreateIfNotExistsAsync());
