using System.Text.Json.Serialization;

namespace Functions.DynamoDb;

/// <summary>The protocol's JSON, source-generated: no reflection in a function.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PutItemRequest))]
[JsonSerializable(typeof(GetItemRequest))]
[JsonSerializable(typeof(GetItemResponse))]
[JsonSerializable(typeof(ScanRequest))]
[JsonSerializable(typeof(ScanResponse))]
[JsonSerializable(typeof(UpdateItemRequest))]
[JsonSerializable(typeof(UpdateItemResponse))]
[JsonSerializable(typeof(DeleteItemRequest))]
[JsonSerializable(typeof(QueryRequest))]
[JsonSerializable(typeof(QueryResponse))]
[JsonSerializable(typeof(BatchGetItemRequest))]
[JsonSerializable(typeof(BatchGetItemResponse))]
[JsonSerializable(typeof(BatchWriteItemRequest))]
[JsonSerializable(typeof(BatchWriteItemResponse))]
[JsonSerializable(typeof(TransactWriteItemsRequest))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class DynamoDbJson : JsonSerializerContext;
