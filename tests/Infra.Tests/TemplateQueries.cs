using Amazon.CDK.Assertions;

namespace Functions.Infra.Tests;

/// <summary>Finding the resources of one function in a template, by the metadata NativeAotFunction records.</summary>
internal static class TemplateQueries
{
    public static string FunctionId(this Template template, string name) =>
        template.FindResources("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Metadata"] = Match.ObjectLike(new Props { ["fn:function"] = name }),
        })).Keys.Single();

    public static string RoleId(this Template template, string function)
    {
        var role = new Capture();
        template.HasResource("AWS::Lambda::Function", Match.ObjectLike(new Props
        {
            ["Metadata"] = Match.ObjectLike(new Props { ["fn:function"] = function }),
            ["Properties"] = Match.ObjectLike(new Props { ["Role"] = new Props { ["Fn::GetAtt"] = new object[] { role, "Arn" } } }),
        }));
        return role.AsString();
    }

    public static string TableId(this Template template) => template.FindResources("AWS::DynamoDB::Table").Keys.Single();

    /// <summary>{ "Fn::GetAtt": [id, "Arn"] }</summary>
    public static Props ArnOf(string logicalId) => new() { ["Fn::GetAtt"] = new object[] { logicalId, "Arn" } };

    /// <summary>{ "Ref": id }</summary>
    public static Props Ref(string logicalId) => new() { ["Ref"] = logicalId };
}
