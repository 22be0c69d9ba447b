using Amazon.CDK;
using Functions.Infra;

try
{
    var app = new App();
    _ = new ItemsApiStack(app, ItemsApiSettings.FromContext(app.Node));
    app.Synth();
    return 0;
}
catch (Exception e) when (e is Functions.Cdk.SynthesisException or Functions.Build.BuildException)
{
    // A problem the user can fix (bad context value, a host that cannot build the architecture): the message, no stack trace.
    Console.Error.WriteLine(e.Message);
    return 1;
}
