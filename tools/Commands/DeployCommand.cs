using System.CommandLine;

namespace Functions.Tools.Commands;

/// <summary>./fn deploy [--arch arm64|x86_64] [-- CDK-ARGUMENTS...]</summary>
public static class DeployCommand
{
    public static Command Create()
    {
        var arch = Cdk.ArchOption();
        var extra = Cdk.ExtraArguments();
        var command = new Command("deploy",
            "Deploy the ItemsApi stack with the CDK (cdk deploy): needs AWS credentials and a region, and `npx cdk bootstrap` once per "
            + "account and region. Prints the ApiUrl and TableName outputs; functions whose sources did not change are not uploaded again.")
        {
            arch, extra,
        };
        command.SetAction(async (parse, cancellationToken) =>
            await Cdk.RunAsync("deploy", parse.GetValue(arch), parse.GetValue(extra) ?? [], cancellationToken));
        return command;
    }
}
