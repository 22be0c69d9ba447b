using Amazon.CDK;
using FnApp.Infra;

try
{
    var app = new App();
    _ = new FnAppStack(app, "FnApp", app.Node.TryGetContext("jwtIssuer") as string, app.Node.TryGetContext("jwtAudience") as string);
    app.Synth();
    return 0;
}
catch (Exception e) when (e is Functions.Cdk.SynthesisException or Functions.Build.BuildException)
{
    // A problem you can fix (a declaration, a setting): the message, no stack trace.
    Console.Error.WriteLine(e.Message);
    return 1;
}
